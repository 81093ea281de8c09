package org.hopseal.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.portal.Outlet;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * Many portal connections through one inlet and its one channel: 1,000 open at once, then thousands opened and
 * closed, after which the nodes hold as many workers, file descriptors and platform threads as before.
 */
class PortalScaleIT {
    private static final Duration T = Duration.ofSeconds(120);
    private static final int CONCURRENT = 1_000;
    private static final int CHURN = 3_000;

    @Test
    void aThousandConnectionsAtOnceThenThousandsOpenedAndClosedLeakNothing() throws Exception {
        AtomicInteger open = new AtomicInteger();
        try (ServerSocket echo = new ServerSocket(0, 2048, InetAddress.getLoopbackAddress());
             HopsealNode server = HopsealNode.start(); HopsealNode client = HopsealNode.start()) {
            Thread.ofVirtual().start(() -> serveEcho(echo, open));
            Entity serverIdentity = Entity.create(server.context());
            serverIdentity.createSecureChannelListener("secure");
            Outlet outlet = server.outlet("echo", "127.0.0.1:" + echo.getLocalPort()).reachableThrough("secure").start();
            int port = server.tcp().listen("127.0.0.1:0").getPort();
            Inlet inlet = client.inlet("127.0.0.1:0").to(Route.of(Address.tcp("127.0.0.1:" + port), Address.of("secure")))
                    .outlet("echo").entity(Entity.create(client.context())).start();
            oneRoundTrip(inlet, 0).close();
            Await.await("the first connection is gone", T, () -> open.get() == 0 && inlet.openConnections() == 0);
            int workersBefore = workers(server) + workers(client);
            long fdsBefore = openFiles();
            int threadsBefore = Thread.activeCount();

            List<Socket> sockets = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Socket>> opening = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    int n = i;
                    opening.add(pool.submit(() -> oneRoundTrip(inlet, n)));
                }
                for (Future<Socket> f : opening) {
                    sockets.add(f.get());
                }
            }
            assertThat(inlet.openConnections()).isEqualTo(CONCURRENT);
            assertThat(outlet.openConnections()).isEqualTo(CONCURRENT);
            assertThat(open).hasValue(CONCURRENT);
            assertThat(server.secureChannels()).as("one channel carries them all").hasSize(1);
            for (Socket s : sockets) {
                s.close();
            }
            Await.await("every connection closed", T, () -> open.get() == 0 && inlet.openConnections() == 0
                    && outlet.openConnections() == 0);

            try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
                List<Future<?>> churn = new ArrayList<>();
                for (int i = 0; i < CHURN; i++) {
                    int n = i;
                    churn.add(pool.submit(() -> {
                        oneRoundTrip(inlet, n).close();
                        return null;
                    }));
                }
                for (Future<?> f : churn) {
                    f.get();
                }
            }
            Await.await("the churned connections closed", T, () -> open.get() == 0 && inlet.openConnections() == 0
                    && outlet.openConnections() == 0);
            Await.await("as many workers as before", T, () -> workers(server) + workers(client) == workersBefore);
            Await.await("as many file descriptors as before", T, () -> openFiles() <= fdsBefore);
            // the churn pool's threads end a moment after its close() returns
            Await.await("as many platform threads as before", T, () -> Thread.activeCount() <= threadsBefore);
        }
    }

    /** Connects to the inlet, sends 4 bytes and reads them back; the socket stays open. */
    private static Socket oneRoundTrip(Inlet inlet, int n) throws IOException {
        Socket s = new Socket(inlet.address().getAddress(), inlet.address().getPort());
        s.setSoTimeout((int) T.toMillis());
        byte[] bytes = {(byte) n, (byte) (n >> 8), 7, 9};
        s.getOutputStream().write(bytes);
        assertThat(s.getInputStream().readNBytes(4)).isEqualTo(bytes);
        return s;
    }

    private static void serveEcho(ServerSocket server, AtomicInteger open) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException closed) {
                return;
            }
            open.incrementAndGet();
            Thread.ofVirtual().start(() -> {
                try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException ended) {
                    // the portal reset it
                } finally {
                    open.decrementAndGet();
                }
            });
        }
    }

    private static int workers(HopsealNode node) {
        return Node.of(node.context()).registeredAddressCount();
    }

    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
