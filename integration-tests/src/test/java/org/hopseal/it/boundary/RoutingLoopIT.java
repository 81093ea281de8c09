package org.hopseal.it.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.hopseal.testing.Await;
import org.hopseal.testing.RawClient;
import org.hopseal.testing.TestNode;
import org.hopseal.testing.Wire;
import org.hopseal.testing.Wire.Addr;
import org.hopseal.testing.Wire.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, attack 3 (routing loops): a route that points a forwarding node back at itself. Routes are capped at
 * 32 addresses when decoded (the hop limit), so a loop runs at most as often as the route names the node; and a
 * large frame the node sends to itself must not wedge it.
 *
 * <p>In-process node with forwarding on and an Echoer exposed to transports, so that a raw client can tell a served
 * request (an echo) from a refused one.
 */
class RoutingLoopIT {
    private TestNode node;
    private TcpTransport tcp;
    private int port;
    private Addr self;

    private void start(TcpTransportOptions options) throws Exception {
        node = TestNode.builder().forwardAnywhere().echoerExposedTo(Exposure.transports()).start();
        var ctx = node.context();
        tcp = TcpTransport.create(ctx, options);
        port = tcp.listen("127.0.0.1:0").getPort();
        self = Addr.tcp("127.0.0.1:" + port);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void routesLongerThanTheHopLimitAreRefusedBeforeAnyHop() throws Exception {
        start(TcpTransportOptions.defaults());
        long cpu0 = processCpuNanos();
        try (RawClient forty = RawClient.connect(port); RawClient huge = RawClient.connect(port)) {
            forty.send(Wire.concat(Wire.times(40, self), List.of(Addr.local("echoer"))), List.of(), Wire.string("loop"));
            // The proof of concept: a 170 KB frame naming the node ~10,000 times.
            List<Addr> route = Wire.concat(Wire.times(10_000, self), List.of(Addr.local("echoer")));
            byte[] frame = Wire.frame(route, List.of(), Wire.string("loop"));
            assertThat(frame.length).isGreaterThan(170_000);
            huge.sendBytes(frame);
            for (RawClient c : List.of(forty, huge)) {
                assertThat(c.awaitEnd(Duration.ofSeconds(5))).as("the node closes a connection that sent an undecodable frame").isTrue();
                assertThat(c.bytesRead()).as("nothing came back").isZero();
            }
        }
        long cpu = processCpuNanos() - cpu0;
        Boundary.report("refusing a 40-hop and a 10,000-hop frame: %d ms of CPU", cpu / 1_000_000);
        assertThat(Duration.ofNanos(cpu)).as("CPU time of this whole JVM while refusing").isLessThan(Duration.ofSeconds(3));
        // The node never dialed itself: once the clients are gone, no connection is left.
        assertThat(Await.holds(Duration.ofSeconds(3), () -> tcp.connectionCount() == 0))
                .as("connections left: " + tcp.connectionCount()).isTrue();
    }

    @Test
    void aRouteWithinTheLimitLoopsOnlyAsOftenAsItNamesTheNode() throws Exception {
        start(TcpTransportOptions.defaults());
        try (RawClient looper = RawClient.connect(port); RawClient other = RawClient.connect(port)) {
            // 30 trips through itself, then the Echoer: the loop runs and ends, and the echo comes back.
            looper.send(Wire.concat(Wire.times(30, self), List.of(Addr.local("echoer"))), List.of(), Wire.string("after 30 hops"));
            Frame echo = awaitText(looper, Duration.ofSeconds(10));
            assertThat(echo).as("the echo after 30 hops").isNotNull();
            assertThat(echo.textOrNull()).isEqualTo("after 30 hops");

            // 31 trips there leave no room for the way back: the reply hits the hop limit and never reaches us.
            looper.send(Wire.concat(Wire.times(31, self), List.of(Addr.local("echoer"))), List.of(), Wire.string("after 31 hops"));
            assertThat(awaitText(looper, Duration.ofSeconds(2))).as("no echo beyond the hop limit").isNull();

            // Bounded work: a burst of maximal loops of 64 KiB each leaves the node answering others promptly.
            byte[] big = Wire.data(new byte[64 * 1024]);
            Thread flood = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 20; i++) {
                        looper.send(Wire.concat(Wire.times(31, self), List.of(Addr.local("echoer"))), List.of(), big);
                    }
                } catch (Exception e) {
                    // the node may close us; the assertions below are what matter
                }
            });
            long worst = 0;
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                other.sendText("echoer", "ping " + i);
                Frame f = awaitText(other, Duration.ofSeconds(5));
                assertThat(f).as("echo " + i).isNotNull();
                assertThat(f.textOrNull()).isEqualTo("ping " + i);
                worst = Math.max(worst, System.nanoTime() - t0);
                Thread.sleep(50);
            }
            Boundary.report("slowest echo during 20 maximal 64 KiB loops: %d ms", worst / 1_000_000);
            assertThat(Duration.ofNanos(worst)).as("slowest echo during the loop burst").isLessThan(Duration.ofSeconds(2));
            flood.join(10_000);
        }
    }

    @Test
    void aLargeFrameToItselfDoesNotWedgeTheNode() throws Exception {
        start(TcpTransportOptions.defaults());
        try (RawClient attacker = RawClient.connect(port); RawClient other = RawClient.connect(port)) {
            sendLargeLoop(attacker);
            // Another client reaching the Echoer directly is served at once...
            long t0 = System.nanoTime();
            other.sendText("echoer", "direct");
            Frame direct = awaitText(other, Duration.ofSeconds(5));
            assertThat(direct).as("direct echo").isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            // ...and so must be one whose route passes through the node's own connection to itself, well before the
            // 30 s write timeout would break a deadlock there.
            t0 = System.nanoTime();
            other.send(List.of(self, Addr.local("echoer")), List.of(), Wire.string("via itself"));
            Frame viaSelf = awaitText(other, Duration.ofSeconds(5));
            assertThat(viaSelf).as("echo through the node's own connection, sent after an 8 MiB frame looped node->node->node;"
                    + " connections open: " + tcp.connectionCount()).isNotNull();
            assertThat(viaSelf.textOrNull()).isEqualTo("via itself");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aStalledConnectionToItselfIsClosedWithinTheWriteTimeout() throws Exception {
        Duration writeTimeout = Duration.ofSeconds(2);
        start(TcpTransportOptions.defaults().withWriteTimeout(writeTimeout));
        try (RawClient attacker = RawClient.connect(port); RawClient other = RawClient.connect(port)) {
            long t0 = System.nanoTime();
            sendLargeLoop(attacker);
            // Whatever the large frame did to the node's connection to itself, that path works again once the write
            // timeout has passed: a message through it is echoed.
            Frame viaSelf = null;
            for (int i = 0; viaSelf == null && System.nanoTime() - t0 < writeTimeout.plusSeconds(8).toNanos(); i++) {
                other.send(List.of(self, Addr.local("echoer")), List.of(), Wire.string("via itself " + i));
                viaSelf = awaitText(other, Duration.ofMillis(500));
            }
            assertThat(viaSelf).as("an echo through the node's own connection within the write timeout and a margin").isNotNull();
            assertThat(viaSelf.textOrNull()).startsWith("via itself");
        }
    }

    /**
     * The same wedge between two forwarding nodes: two large frames cross, A to B to A and B to A to B, so that
     * each node's reader of the A-B connections relays a frame onto the connection the other's is relaying onto.
     */
    @Test
    void largeFramesCrossingBetweenTwoForwardingNodesDoNotWedgeThem() throws Exception {
        start(TcpTransportOptions.defaults());
        try (TestNode other = TestNode.builder().forwardAnywhere().echoerExposedTo(Exposure.transports()).start()) {
            int otherPort = TcpTransport.create(other.context()).listen("127.0.0.1:0").getPort();
            Addr a = self;
            Addr b = Addr.tcp("127.0.0.1:" + otherPort);
            try (RawClient atA = RawClient.connect(port); RawClient atB = RawClient.connect(otherPort);
                 RawClient bystander = RawClient.connect(port)) {
                // Both connections between the nodes exist and work.
                bystander.send(List.of(b, a, b, Addr.local("echoer")), List.of(), Wire.string("warm"));
                assertThat(awaitText(bystander, Duration.ofSeconds(5))).as("echo A-B-A-B").isNotNull();

                byte[] payload = Wire.data(new byte[8 * 1024 * 1024]);
                Thread x = Thread.ofVirtual().start(() -> sendQuietly(atA, List.of(b, a, Addr.local("echoer")), payload));
                Thread y = Thread.ofVirtual().start(() -> sendQuietly(atB, List.of(a, b, Addr.local("echoer")), payload));
                x.join(10_000);
                y.join(10_000);
                // Wedged nodes would hold both large echoes until the 30 s write timeout; these come back well before.
                assertThat(awaitText(atA, Duration.ofSeconds(10))).as("the large echo at A").isNotNull();
                assertThat(awaitText(atB, Duration.ofSeconds(10))).as("the large echo at B").isNotNull();
                long t0 = System.nanoTime();
                bystander.send(List.of(b, a, Addr.local("echoer")), List.of(), Wire.string("after"));
                Frame after = awaitText(bystander, Duration.ofSeconds(5));
                assertThat(after).as("a small message A-B-A after two 8 MiB frames crossed between the nodes").isNotNull();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    private static void sendQuietly(RawClient c, List<Addr> onward, byte[] payload) {
        try {
            c.send(onward, List.of(), payload);
        } catch (Exception e) {
            // the node may close us
        }
    }

    /**
     * 8 MiB to {@code [self, self, echoer]}: the second hop is written by a reader of the node's own connection. Returns
     * once the frame is sent and the node has dialed itself for it (it has more connections than the two clients').
     */
    private void sendLargeLoop(RawClient attacker) throws InterruptedException {
        byte[] payload = Wire.data(new byte[8 * 1024 * 1024]);
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                attacker.send(List.of(self, self, Addr.local("echoer")), List.of(), payload);
            } catch (Exception e) {
                // the node may close us
            }
        });
        sender.join(10_000);
        Await.await("the node's connection to itself", Duration.ofSeconds(10), () -> tcp.connectionCount() > 2);
    }

    /** The next frame that is not an error reply, or {@code null}. */
    private static Frame awaitText(RawClient c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Frame f = c.receive(Duration.ofNanos(left));
            if (f != null && !f.isRoutingError()) {
                return f;
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
