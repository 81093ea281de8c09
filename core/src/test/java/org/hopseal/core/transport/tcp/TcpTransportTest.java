package org.hopseal.core.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.node.Forwarding;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.testing.RawClient;
import org.hopseal.testing.SilentListener;
import org.hopseal.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpTransportTest {
    private TestNode responder;
    private Node initiator;
    private int responderPort;
    private Address responderTcp;

    @BeforeEach
    void start() throws Exception {
        // Raw TCP on purpose, and through channels of the listener "secure".
        responder = TestNode.builder().echoerExposedTo(Exposure.transports().andChannelsOf("secure")).start();
        InetSocketAddress bound = TcpTransport.create(responder.context()).listen("127.0.0.1:0");
        responderPort = bound.getPort();
        assertThat(responderPort).isPositive();
        responderTcp = Address.tcp("127.0.0.1:" + responderPort);
        initiator = Node.start();
        TcpTransport.create(initiator.context());
    }

    @AfterEach
    void stop() {
        initiator.stop();
        responder.close();
    }

    /** A context that takes raw replies over the connection to {@code hop}. */
    private Context rawThrough(Address hop) throws HopsealException {
        return initiator.context().newContext(Address.random(), Exposure.through(hop));
    }

    /** A node that forwards. */
    private static Node middle() throws HopsealException {
        return Node.builder().forwarding(Forwarding.anywhere()).start();
    }

    @Test
    void echoOverTcpAndTheReplyComesBackOverTheSameConnection() throws Exception {
        var ctx = rawThrough(responderTcp);
        ctx.send(Route.of(responderTcp, Address.of("echoer")), "Hello over TCP");
        Routed<String> reply = ctx.receiveRouted(String.class, Duration.ofSeconds(5));
        assertThat(reply.body()).isEqualTo("Hello over TCP");
        assertThat(reply.returnRoute().next()).isEqualTo(responderTcp);
        ctx.send(Route.of(responderTcp, Address.of("echoer")), "again");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("again");
        assertThat(TcpTransport.create(ctx).connectionCount()).isEqualTo(1);
    }

    @Test
    void aWorkerThatBlocksBeforeItsBatchEndsStillHasItsFramesFlushed() throws Exception {
        var ctx = rawThrough(responderTcp);
        CountDownLatch queued = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // "pause" holds the worker until the next two are queued; the frame for the second is then written with
        // "block" waiting behind it, so its flush is deferred, and "block" holds the worker before its batch ends.
        ctx.startWorker("relay", String.class, (c, m) -> {
            switch (m.body()) {
                case "pause" -> queued.await(10, TimeUnit.SECONDS);
                case "block" -> release.await(10, TimeUnit.SECONDS);
                default -> c.send(Route.of(responderTcp, Address.of("echoer")), Route.of(ctx.address()), m.body());
            }
        });
        ctx.send(Route.of("relay"), "pause");
        ctx.send(Route.of("relay"), "through while blocked");
        ctx.send(Route.of("relay"), "block");
        queued.countDown();
        try {
            assertThat(ctx.receive(String.class, Duration.ofSeconds(2))).isEqualTo("through while blocked");
        } finally {
            release.countDown();
        }
    }

    @Test
    void throughAMiddleNode() throws Exception {
        try (Node middle = middle()) {
            int port = TcpTransport.create(middle.context()).listen("127.0.0.1:0").getPort();
            var ctx = rawThrough(Address.tcp("127.0.0.1:" + port));
            ctx.send(Route.of(Address.tcp("127.0.0.1:" + port), responderTcp, Address.of("echoer")), "two hops");
            assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("two hops");
        }
    }

    @Test
    void authenticatedChannelAcrossTwoTransportHops() throws Exception {
        try (Node middle = middle()) {
            int port = TcpTransport.create(middle.context()).listen("127.0.0.1:0").getPort();
            Entity bob = Entity.create(responder.context());
            Entity alice = Entity.create(initiator.context());
            bob.createSecureChannelListener("secure", new TrustIdentifierPolicy(alice.identifier()));
            Address channel = alice.createSecureChannel(Route.of(Address.tcp("127.0.0.1:" + port), responderTcp, Address.of("secure")),
                    new TrustIdentifierPolicy(bob.identifier()));
            var ctx = initiator.context();
            for (int i = 0; i < 100; i++) {
                ctx.send(Route.of(channel, Address.of("echoer")), "e2e " + i);
            }
            for (int i = 0; i < 100; i++) {
                assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("e2e " + i);
            }
            byte[] big = new byte[3 * 1024 * 1024];
            new Random(7).nextBytes(big);
            ctx.send(Route.of(channel, Address.of("echoer")), big);
            assertThat(ctx.receive(byte[].class, Duration.ofSeconds(20))).isEqualTo(big);
        }
    }

    @Test
    void refusedConnectionIsAClearErrorAndALaterSendReconnects() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Address dead = Address.tcp("127.0.0.1:" + port);
        var ctx = rawThrough(dead);
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> ctx.send(Route.of(dead, Address.of("echoer")), "x"))
                .isInstanceOf(RoutingException.class).hasMessageContaining("cannot connect");
        try (TestNode late = TestNode.builder().echoerExposedTo(Exposure.transports()).start()) {
            TcpTransport.create(late.context()).listen("127.0.0.1:" + port);
            ctx.send(Route.of(dead, Address.of("echoer")), "now");
            assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("now");
        }
    }

    @Test
    void garbageAndOversizedFramesCloseOnlyThatConnection() throws Exception {
        // Each client has exchanged protocol versions with the responder; the responder then hangs up on it.
        try (RawClient oversized = RawClient.connect(responderPort)) {
            oversized.sendBytes(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // the length of a 2 GiB frame
            assertThat(oversized.awaitEnd(Duration.ofSeconds(10))).as("hung up on after an oversized length").isTrue();
            assertThat(oversized.bytesRead()).as("nothing but the version byte came back").isZero();
        }
        try (RawClient garbage = RawClient.connect(responderPort)) {
            garbage.sendBytes(new byte[] {0, 0, 0, 5, 9, 9, 9, 9, 9});
            assertThat(garbage.awaitEnd(Duration.ofSeconds(10))).as("hung up on after an undecodable frame").isTrue();
            assertThat(garbage.bytesRead()).isZero();
        }
        var ctx = rawThrough(responderTcp);
        ctx.send(Route.of(responderTcp, Address.of("echoer")), "still serving");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("still serving");
    }

    @Test
    void aMessageOverTheMaximumFrameIsRefusedNotTruncated() throws Exception {
        try (Node small = Node.start()) {
            TcpTransport.create(small.context(), 1024);
            assertThatThrownBy(() -> small.context().send(Route.of(responderTcp, Address.of("echoer")), new byte[2000]))
                    .isInstanceOf(RoutingException.class).hasMessageContaining("exceeds the maximum frame size");
        }
    }

    @Test
    void aPeerThatDoesNotAnswerWithinTheConnectTimeoutIsATimeoutAndLeavesNoSocketOpen() throws Exception {
        try (SilentListener listener = SilentListener.open(); Node impatient = Node.start()) {
            TcpTransport tcp = TcpTransport.create(impatient.context(),
                    TcpTransportOptions.defaults().withConnectTimeout(Duration.ofMillis(200)));
            Address silent = Address.tcp("127.0.0.1:" + listener.port());
            long before = openFiles();
            int attempts = 10;
            for (int i = 0; i < attempts; i++) {
                assertHopsealError(ErrorKind.TIMEOUT, () -> impatient.context().send(Route.of(silent, Address.of("echoer")), "x"))
                        .hasMessageContaining("timed out");
            }
            assertThat(tcp.connectionCount()).isZero();
            assertThat(openFiles() - before).as("descriptors left behind by %d dials that timed out", attempts).isLessThan(attempts / 2);
        }
    }

    @Test
    void listeningOnAPortThatIsTakenIsUnavailable() throws Exception {
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> TcpTransport.create(initiator.context()).listen("127.0.0.1:" + responderPort))
                .hasMessageContaining("cannot listen on 127.0.0.1:" + responderPort);
    }

    /** The file descriptors this process holds open now (Linux). */
    private static long openFiles() throws IOException {
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            return open.count();
        }
    }

    @Test
    void failedDialsAndListensLeaveNoSocketOpen() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Address dead = Address.tcp("127.0.0.1:" + port);
        TcpTransport tcp = TcpTransport.create(initiator.context());
        long before = openFiles();
        int attempts = 50;
        for (int i = 0; i < attempts; i++) {
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> initiator.context().send(Route.of(dead, Address.of("echoer")), "x"));
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> tcp.listen("127.0.0.1:" + responderPort));
        }
        assertThat(openFiles() - before).as("descriptors left behind by %d refused dials and %d refused listens", attempts, attempts)
                .isLessThan(attempts / 2);
    }

    @Test
    void aPeerThatRestartedIsDialedAgainBySendersOnOtherThreads() throws Exception {
        var ctx = rawThrough(responderTcp);
        ctx.send(Route.of(responderTcp, Address.of("echoer")), "first");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("first");
        responder.close();
        TcpTransport tcp = TcpTransport.create(initiator.context());
        Await.await("the lost connection is forgotten", Duration.ofSeconds(10), () -> tcp.connectionCount() == 0);
        responder = TestNode.builder().echoerExposedTo(Exposure.transports()).start();
        TcpTransport restarted = TcpTransport.create(responder.context());
        // The old port was free for anyone while the responder was down (another test's connection may hold it a moment).
        Await.await("the responder listens on its old port again", Duration.ofSeconds(10), () -> {
            try {
                restarted.listen("127.0.0.1:" + responderPort);
                return true;
            } catch (HopsealException e) {
                return false;
            }
        });

        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                ctx.send(Route.of(responderTcp, Address.of("echoer")), "again");
            } catch (HopsealException e) {
                throw new CompletionException(e);
            }
        });
        sent.get(10, TimeUnit.SECONDS);
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("again");
    }
}
