package org.hopseal.it.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.hopseal.testing.Await;
import org.hopseal.testing.RawClient;
import org.hopseal.testing.TestNode;
import org.hopseal.testing.Wire;
import org.hopseal.testing.Wire.Addr;
import org.hopseal.testing.Wire.Frame;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, attack 5: a peer that sends to a shared worker and never reads its replies. The Echoer (exposed to
 * transports) must keep serving everyone else, and the stalled peer must be disconnected within the write timeout.
 */
class StalledReaderIT {
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aPeerThatNeverReadsIsDisconnectedAndOthersKeepBeingServed() throws Exception {
        TcpTransportOptions options = TcpTransportOptions.defaults().withWriteTimeout(WRITE_TIMEOUT).withMaxQueuedBytes(256 * 1024);
        try (TestNode node = TestNode.builder().echoerExposedTo(Exposure.transports()).start()) {
            var ctx = node.context();
            TcpTransport tcp = TcpTransport.create(ctx, options);
            int port = tcp.listen("127.0.0.1:0").getPort();

            try (RawClient stalled = RawClient.connect(port, false); RawClient b = RawClient.connect(port); RawClient c = RawClient.connect(port)) {
                // A: requests of 256 KiB, one every 5 ms, never reading the echoes, until the node closes it (or 20 s).
                byte[] request = Wire.frame(List.of(Addr.local("echoer")), List.of(), Wire.data(new byte[256 * 1024]));
                AtomicInteger sent = new AtomicInteger();
                AtomicReference<IOException> closed = new AtomicReference<>();
                long floodStart = System.nanoTime();
                Thread flood = Thread.ofVirtual().start(() -> {
                    try {
                        while (System.nanoTime() - floodStart < Duration.ofSeconds(20).toNanos()) {
                            stalled.sendBytes(request);
                            sent.incrementAndGet();
                            Thread.sleep(5);
                        }
                    } catch (IOException e) {
                        closed.set(e); // the node closed us: expected
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertThat(Await.holds(Duration.ofSeconds(5), () -> sent.get() >= 40)).as("the flood is under way").isTrue();

                // Meanwhile B and C are echoed promptly, request after request.
                List<Long> latencies = new ArrayList<>();
                long servedUntil = System.nanoTime() + WRITE_TIMEOUT.plusSeconds(2).toNanos();
                int i = 0;
                while (System.nanoTime() < servedUntil) {
                    for (RawClient client : List.of(b, c)) {
                        String text = "request " + i++;
                        long t0 = System.nanoTime();
                        client.sendText("echoer", text);
                        Frame f = client.receive(Duration.ofSeconds(5));
                        assertThat(f).as("echo of '%s' while A stalls (A sent %d)", text, sent.get()).isNotNull();
                        assertThat(f.textOrNull()).isEqualTo(text);
                        latencies.add(System.nanoTime() - t0);
                    }
                    Thread.sleep(50);
                }
                long worst = latencies.stream().mapToLong(Long::longValue).max().orElseThrow();
                assertThat(Duration.ofNanos(worst)).as("slowest of %d echoes", latencies.size()).isLessThan(Duration.ofSeconds(2));

                // A is gone within the write timeout and a margin: only B and C are left.
                assertThat(Await.holds(WRITE_TIMEOUT.plusSeconds(6), () -> tcp.connectionCount() == 2))
                        .as("connections: %d", tcp.connectionCount()).isTrue();
                Duration tookToDisconnect = Duration.ofNanos(System.nanoTime() - floodStart);
                Boundary.report("stalled reader: %d echoes to others, slowest %d ms; A (%d requests sent) closed %d ms after its flood began",
                        latencies.size(), worst / 1_000_000, sent.get(), tookToDisconnect.toMillis());
                assertThat(tookToDisconnect).isLessThan(WRITE_TIMEOUT.plusSeconds(8));
                flood.join(10_000);
                assertThat(flood.isAlive()).as("A's writes fail once the node closed it").isFalse();
                assertThat(closed.get()).as("A's flood ended because the node closed the connection").isNotNull();

                b.sendText("echoer", "after");
                assertThat(b.receive(Duration.ofSeconds(5))).isNotNull();
            }
        }
    }
}
