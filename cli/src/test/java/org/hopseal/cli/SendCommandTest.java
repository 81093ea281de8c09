package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code hopseal send} against a node in this JVM. */
class SendCommandTest {
    @Test
    @Timeout(60)
    void aMessageOnStandardInputIsSentWhole() throws Exception {
        String message = "0123456789abcdef".repeat(200 * 1024 / 16) + "\nlast line";
        try (EchoNode node = new EchoNode()) {
            Captured sent = Captured.runWithInput(message.getBytes(StandardCharsets.UTF_8),
                    "send", "--to", node.to(), "--trust", node.identifier, "-");
            assertThat(sent.exit()).as(sent.err()).isZero();
            assertThat(sent.out()).isEqualTo(message + System.lineSeparator());
        }
    }

    @Test
    @Timeout(60)
    void aMessageOverSixteenMebibytesIsRefusedBeforeAnythingIsSent() {
        byte[] tooLarge = new byte[MessageInput.MAX_BYTES + 1];
        // No node listens at port 1: the refusal comes before any connection is tried.
        Captured sent = Captured.runWithInput(tooLarge, "send", "--to", "127.0.0.1:1", "-");
        assertThat(sent.exit()).isEqualTo(1);
        assertThat(sent.err()).isEqualTo("hopseal send: the message is larger than the maximum of 16777216 bytes (16 MiB) a node carries"
                + System.lineSeparator());
    }

    @Test
    @Timeout(60)
    void exactlySixteenMebibytesIsNotRefused() throws Exception {
        assertThat(MessageInput.read("-", new ByteArrayInputStream(new byte[MessageInput.MAX_BYTES]))).hasSize(MessageInput.MAX_BYTES);
    }

    @Test
    @Timeout(60)
    void workerNamesAnotherWorkerTheNodeExposes() throws Exception {
        try (EchoNode node = new EchoNode()) {
            Captured sent = Captured.run("send", "--to", node.to(), "--trust", node.identifier, "--worker", "mirror", "to the mirror");
            assertThat(sent.exit()).as(sent.err()).isZero();
            assertThat(sent.out()).isEqualTo("to the mirror" + System.lineSeparator());
        }
    }

    @Test
    @Timeout(60)
    void aWorkerTheNodeDoesNotExposeToChannelsIsRefused() throws Exception {
        try (EchoNode node = new EchoNode()) {
            long start = System.nanoTime();
            Captured sent = Captured.run("send", "--to", node.to(), "--trust", node.identifier, "--worker", "private", "--timeout", "20s", "x");
            assertThat(sent.exit()).isEqualTo(1);
            // The node's own log shares this JVM's standard error: the command's line is the last.
            assertThat(sent.err()).containsPattern("(?m)^hopseal send: the message could not be routed \\(reported by secure channel \\w+ from I\\w+\\):"
                    + " no worker at address private is reachable from outside this way$");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the refusal, not the 20 s timeout").isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    @Timeout(60)
    void aWorkersAccessControlRefusalComesBackAsTheErrorAndTheNodeLogsWhomItRefused() throws Exception {
        try (EchoNode node = new EchoNode()) {
            long start = System.nanoTime();
            Captured sent = Captured.run("send", "--to", node.to(), "--trust", node.identifier, "--worker", "guarded", "--timeout", "20s", "x");
            assertThat(sent.exit()).isEqualTo(1);
            // The node's log shares this JVM's standard error, before the command's own line.
            assertThat(sent.err()).containsPattern("(?m)WorkerCell - worker guarded refused a message from I[0-9a-f]{64} by access control \\(secure channel ")
                    .containsPattern("(?m)^hopseal send: the message could not be routed \\(reported by secure channel \\w+ from " + node.identifier
                            + "\\): worker guarded refused the message: its access control does not admit I[0-9a-f]{64}$");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the refusal, not the 20 s timeout").isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    @Timeout(60)
    void theTimeoutCoversTheHandshakeWithAPeerThatNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Accepts the connection and never says a word.
            Thread.ofVirtual().start(() -> {
                try (Socket held = silent.accept()) {
                    held.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // the test ended
                }
            });
            long start = System.nanoTime();
            Captured sent = Captured.run("send", "--to", "127.0.0.1:" + silent.getLocalPort(), "--timeout", "1s", "x");
            assertThat(sent.exit()).isEqualTo(1);
            assertThat(sent.err()).endsWith("hopseal send: opening the secure channel timed out after 1000 ms" + System.lineSeparator());
            // Before, the handshake waited its own 10 s whatever --timeout said.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within --timeout, not the 10 s handshake timeout")
                    .isLessThan(Duration.ofSeconds(9));
        }
    }

    @Test
    void aTimeoutOfZeroIsAUsageError() {
        Captured sent = Captured.run("send", "--to", "127.0.0.1:1", "--timeout", "0", "x");
        assertThat(sent.exit()).isEqualTo(2);
        assertThat(sent.err()).startsWith("hopseal send: --timeout must be longer than 0" + System.lineSeparator());
    }
}
