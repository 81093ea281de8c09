package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.hopseal.testing.Await;
import org.hopseal.testing.RawClient;
import org.junit.jupiter.api.Test;

/** Nodes as separate JVM processes on loopback. */
class MultiProcessIT {
    private static final Duration START = Duration.ofSeconds(30);

    private static int port(String listeningLine) {
        return Integer.parseInt(listeningLine.split(" ")[1]);
    }

    @Test
    void routingOverTransportTwoProcesses() throws Exception {
        try (ChildJvm responder = ChildJvm.start("org.hopseal.examples.Ex04Responder", "0")) {
            int port = port(responder.awaitLine("LISTENING", START));
            try (ChildJvm initiator = ChildJvm.start("org.hopseal.examples.Ex04Initiator", String.valueOf(port))) {
                assertThat(initiator.awaitLine("App Received", START)).isEqualTo("App Received: Hello Hopseal!");
                assertThat(initiator.waitFor(START)).isZero();
            }
        }
    }

    @Test
    void routingOverTwoTransportHopsThreeProcesses() throws Exception {
        try (ChildJvm responder = ChildJvm.start("org.hopseal.examples.Ex04Responder", "0");
             ChildJvm middle = ChildJvm.start("org.hopseal.examples.Ex04Middle", "0")) {
            int r = port(responder.awaitLine("LISTENING", START));
            int m = port(middle.awaitLine("LISTENING", START));
            try (ChildJvm initiator = ChildJvm.start("org.hopseal.examples.Ex04TwoHopsInitiator", String.valueOf(m), String.valueOf(r))) {
                assertThat(initiator.awaitLine("App Received", START)).isEqualTo("App Received: Hello Hopseal!");
            }
        }
    }

    @Test
    void secureChannelOverTwoTransportHopsAndTheMiddleSeesOnlyCiphertext() throws Exception {
        try (ChildJvm responder = ChildJvm.start("org.hopseal.examples.Ex05Responder", "0");
             ChildJvm middle = ChildJvm.start("org.hopseal.examples.Ex04Middle", "0")) {
            int r = port(responder.awaitLine("LISTENING", START));
            int m = port(middle.awaitLine("LISTENING", START));
            // Record every byte that enters and leaves the middle node.
            try (RecordingRelay intoMiddle = new RecordingRelay(m); RecordingRelay outOfMiddle = new RecordingRelay(r);
                 ChildJvm initiator = ChildJvm.start("org.hopseal.examples.Ex05Initiator",
                         String.valueOf(intoMiddle.port()), String.valueOf(outOfMiddle.port()))) {
                assertThat(initiator.awaitLine("App Received", START)).isEqualTo("App Received: Hello Hopseal!");
                for (byte[] captured : new byte[][] {intoMiddle.recorded(), outOfMiddle.recorded()}) {
                    assertThat(captured.length).isGreaterThan(200);
                    String text = new String(captured, StandardCharsets.ISO_8859_1);
                    assertThat(text).doesNotContain("Hello Hopseal!").doesNotContain("echoer");
                }
            }
        }
    }

    @Test
    void hopsealNodeAndSendAcrossProcesses() throws Exception {
        try (ChildJvm node = ChildJvm.hopseal(Map.of(), "node", "--listen", "127.0.0.1:0")) {
            String[] ready = node.awaitLine("LISTENING", START).split(" ");
            try (ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--to", "127.0.0.1:" + ready[1], "--trust", ready[2], "Hello Hopseal!")) {
                assertThat(send.waitFor(START)).isZero();
                assertThat(send.stdout()).containsExactly("Hello Hopseal!");
            }
            try (ChildJvm wrongTrust = ChildJvm.hopseal(Map.of(), "send", "--to", "127.0.0.1:" + ready[1], "--trust", "I" + "0".repeat(64), "x")) {
                assertThat(wrongTrust.waitFor(START)).isNotZero();
                assertThat(String.join("\n", wrongTrust.stderr())).contains("trust policy refused");
            }
            // 143 = 128 + SIGTERM, the JVM's exit status after its shutdown hooks ran; STOPPED says the node stopped cleanly.
            assertThat(node.terminate()).isEqualTo(143);
            assertThat(node.stdout()).as("stderr: " + node.stderr()).contains("STOPPED");
        }
    }

    @Test
    void aNodeThatRequiresHybridChannelsTalksToDefaultSendersAndRefusesClassicalOnesSayingWhy() throws Exception {
        try (ChildJvm node = ChildJvm.hopseal(Map.of(), "node", "--listen", "127.0.0.1:0", "--pq", "required")) {
            String[] ready = node.awaitLine("LISTENING", START).split(" ");
            try (ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--to", "127.0.0.1:" + ready[1], "post-quantum")) {
                assertThat(send.waitFor(START)).as("stderr: " + send.stderr()).isZero();
                assertThat(send.stdout()).containsExactly("post-quantum");
            }
            try (ChildJvm classical = ChildJvm.hopseal(Map.of(), "send", "--to", "127.0.0.1:" + ready[1], "--pq", "off", "x")) {
                assertThat(classical.waitFor(START)).isNotZero();
                assertThat(String.join("\n", classical.stderr())).contains("the listener requires a hybrid post-quantum channel");
            }
        }
    }

    /** Sends {@code msg-0} to {@code msg-(count-1)} along {@code route}. */
    private static void sendNumbered(Context ctx, Route route, int count) {
        try {
            for (int i = 0; i < count; i++) {
                ctx.send(route, "msg-" + i);
            }
        } catch (HopsealException e) {
            throw new CompletionException(e);
        }
    }

    @Test
    void tenThousandMessagesAcrossProcessesArriveCompleteAndInOrder() throws Exception {
        try (ChildJvm responder = ChildJvm.hopseal(Map.of(), "node", "--listen", "127.0.0.1:0"); Node node = Node.start()) {
            String[] ready = responder.awaitLine("LISTENING", START).split(" ");
            var ctx = node.context();
            TcpTransport.create(ctx);
            Entity alice = Entity.create(ctx);
            Address channel = alice.createSecureChannel(Route.of(Address.tcp("127.0.0.1:" + ready[1]), Address.of("secure")),
                    new TrustIdentifierPolicy(new Identifier(ready[2])));
            int n = 10_000;
            Route echoer = Route.of(channel, Address.of("echoer"));
            // The sender runs beside the test thread, which reads and asserts every echo; a failed send fails the future.
            ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
            try {
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> sendNumbered(ctx, echoer, n), background);
                for (int i = 0; i < n; i++) {
                    assertThat(ctx.receive(String.class, Duration.ofSeconds(30))).isEqualTo("msg-" + i);
                }
                sending.get(30, TimeUnit.SECONDS);
            } finally {
                background.shutdownNow(); // a sender still waiting for room, after a failure above
            }
        }
    }

    @Test
    void aKilledResponderGivesAClearErrorAndARestartedOneIsReachedAgain() throws Exception {
        int port;
        try (Node node = Node.start()) {
            var ctx = node.context();
            TcpTransport.create(ctx);
            Entity alice = Entity.create(ctx);
            try (ChildJvm responder = ChildJvm.hopseal(Map.of(), "node", "--listen", "127.0.0.1:0")) {
                port = port(responder.awaitLine("LISTENING", START));
                Address channel = alice.createSecureChannel(Route.of(Address.tcp("127.0.0.1:" + port), Address.of("secure")));
                ctx.send(Route.of(channel, Address.of("echoer")), "before");
                assertThat(ctx.receive(String.class, Duration.ofSeconds(10))).isEqualTo("before");
                responder.kill();
                HopsealException error = Await.failingSend(ctx, Route.of(channel, Address.of("echoer")), "into the void", Duration.ofSeconds(10));
                assertThat(error).as("the sender learns the peer is gone").isInstanceOf(RoutingException.class);
                assertThat(error.getMessage()).contains("secure channel closed").contains("127.0.0.1:" + port);
            }
            try (ChildJvm restarted = ChildJvm.hopseal(Map.of(), "node", "--listen", "127.0.0.1:" + port)) {
                restarted.awaitLine("LISTENING", START);
                Address again = alice.createSecureChannel(Route.of(Address.tcp("127.0.0.1:" + port), Address.of("secure")));
                ctx.send(Route.of(again, Address.of("echoer")), "after restart");
                assertThat(ctx.receive(String.class, Duration.ofSeconds(10))).isEqualTo("after restart");
            }
        }
    }

    @Test
    void aPeerSendingGarbageOrAnOversizedFrameIsDisconnectedAndOthersAreServed() throws Exception {
        try (ChildJvm node = ChildJvm.hopseal(Map.of(), "node", "--listen", "127.0.0.1:0")) {
            int port = port(node.awaitLine("LISTENING", START));
            // Each client has exchanged protocol versions with the node; the node then hangs up on it.
            try (RawClient oversized = RawClient.connect(port)) {
                oversized.sendBytes(new byte[] {0x7f, 0, 0, 0}); // the length of a 2 GiB frame
                assertThat(oversized.awaitEnd(Duration.ofSeconds(10))).as("hung up on after an oversized length").isTrue();
                assertThat(oversized.bytesRead()).as("nothing but the version byte came back").isZero();
            }
            try (RawClient garbage = RawClient.connect(port)) {
                byte[] bytes = new byte[4096];
                new Random(3).nextBytes(bytes);
                garbage.sendBytes(Arrays.copyOfRange(bytes, 1, bytes.length)); // the first byte's place is the version's
                assertThat(garbage.awaitEnd(Duration.ofSeconds(10))).as("hung up on after garbage").isTrue();
                assertThat(garbage.bytesRead()).isZero();
            }
            try (ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--to", "127.0.0.1:" + port, "still here")) {
                assertThat(send.waitFor(START)).isZero();
                assertThat(send.stdout()).containsExactly("still here");
            }
        }
    }
}
