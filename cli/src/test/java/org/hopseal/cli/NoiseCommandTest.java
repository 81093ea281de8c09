package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Two instances of the interop mode talk to each other over loopback, for the patterns interop needs. */
class NoiseCommandTest {
    record Run(int exit, String output) {
    }

    private static Run run(NoiseCommand cmd, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(cmd).execute(args);
        return new Run(exit, buf.toString(StandardCharsets.UTF_8));
    }

    private static String line(String output, String key) {
        return output.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst().orElse(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Noise_XX_25519_AESGCM_SHA256", "Noise_IK_25519_ChaChaPoly_BLAKE2s", "Noise_NN_25519_AESGCM_SHA512"})
    void initiatorAndResponderAgree(String proto) throws Exception {
        String responderKey = "4a".repeat(32);
        NoiseCommand responder = new NoiseCommand();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        responder.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> new CommandLine(responder)
                .execute("--role", "responder", "--proto", proto, "--port", "0", "--static", responderKey));
        String port = null;
        for (int i = 0; i < 200 && port == null; i++) {
            Thread.sleep(20);
            port = line(buf.toString(StandardCharsets.UTF_8), "PORT");
        }
        String responderPub = line(buf.toString(StandardCharsets.UTF_8), "LOCAL_STATIC_PUB");
        Run init = run(new NoiseCommand(), "--role", "initiator", "--proto", proto, "--port", port,
                "--remote-static", responderPub, "--payload", "68656c6c6f", "--count", "2");
        assertThat(init.exit()).isZero();
        assertThat(r.get()).isZero();
        String resp = buf.toString(StandardCharsets.UTF_8);
        assertThat(line(init.output(), "HANDSHAKE_HASH")).isEqualTo(line(resp, "HANDSHAKE_HASH")).hasSize(proto.endsWith("SHA512") ? 128 : 64);
        assertThat(init.output()).contains("RECV echo:ping-0", "RECV echo:ping-1", "DONE");
        assertThat(resp).contains("RECV ping-0", "RECV ping-1", "HS_PAYLOAD 68656c6c6f", "DONE");
        if (!proto.contains("_NN_")) {
            assertThat(line(init.output(), "REMOTE_STATIC_PUB")).isEqualTo(responderPub);
        }
    }

    @org.junit.jupiter.api.Test
    void unknownProtocolFailsClearly() {
        Run r = run(new NoiseCommand(), "--role", "initiator", "--proto", "Noise_XX_448_AESGCM_SHA256");
        assertThat(r.exit()).isNotZero();
    }

    @org.junit.jupiter.api.Test
    void vectorRunnerPassesAFileAndFailsOnATamperedOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path snow = java.nio.file.Path.of("../core/src/test/resources/vectors/noise/snow.txt");
        assertThat(Main.run("vectors", "noise", snow.toString())).isZero();
        String text = java.nio.file.Files.readString(snow);
        int at = text.indexOf("\"ciphertext\": \"") + 15;
        char c = text.charAt(at);
        java.nio.file.Path bad = dir.resolve("bad.txt");
        java.nio.file.Files.writeString(bad, text.substring(0, at) + (c == '0' ? '1' : '0') + text.substring(at + 1));
        assertThat(Main.run("vectors", "noise", bad.toString())).isEqualTo(1);
    }
}
