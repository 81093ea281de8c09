package org.hopseal.core.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.portal.Outlet;
import org.hopseal.api.portal.Portal;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.testing.Await;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Portals where a review found them weak: windows chosen differently at each end, ends that stop at once, tiny writes. */
class PortalAttackTest {
    private static final Duration IN_TIME = Duration.ofSeconds(10);

    private final Vaults serverVaults = SoftwareVault.vaults();
    private final Vaults clientVaults = SoftwareVault.vaults();
    private HopsealNode server;
    private HopsealNode client;
    private Entity serverIdentity;
    private InetSocketAddress serverAddress;
    private TargetServer target;
    private ServerSocket rawTarget;

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.stop();
        }
        if (target != null) {
            target.close();
        }
        if (rawTarget != null) {
            rawTarget.close();
        }
        serverVaults.close();
        clientVaults.close();
    }

    private Outlet startServer(String to, int window) throws Exception {
        server = HopsealNode.builder().vaults(serverVaults).start();
        serverIdentity = Entity.createOrLoad(server.context(), serverVaults, "server");
        serverIdentity.createSecureChannelListener("secure");
        Outlet outlet = server.outlet("svc", to).reachableThrough("secure").window(window).start();
        serverAddress = server.tcp().listen("127.0.0.1:0");
        return outlet;
    }

    private Inlet startInlet(int window) throws Exception {
        client = HopsealNode.builder().vaults(clientVaults).start();
        Entity me = Entity.createOrLoad(client.context(), clientVaults, "client");
        return client.inlet("127.0.0.1:0").to(Route.of(Address.tcp("127.0.0.1:" + serverAddress.getPort()), Address.of("secure")))
                .outlet("svc").entity(me).window(window)
                .channelOptions(SecureChannelOptions.defaults().withTrustPolicy(new TrustIdentifierPolicy(serverIdentity.identifier())))
                .start();
    }

    private static Socket connect(Inlet inlet) throws IOException {
        Socket s = new Socket(inlet.address().getAddress(), inlet.address().getPort());
        s.setSoTimeout((int) IN_TIME.toMillis());
        return s;
    }

    private static byte[] echoThrough(Socket s, byte[] bytes) throws Exception {
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] back = s.getInputStream().readNBytes(bytes.length);
        writing.get(IN_TIME.toSeconds(), TimeUnit.SECONDS);
        return back;
    }

    private static int readToEndOrReset(InputStream in) throws IOException {
        int total = 0;
        try {
            int n;
            byte[] buffer = new byte[4096];
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (SocketException reset) {
            // a reset ends the stream too
        }
        return total;
    }

    /** Each end announces its window and the other sends within it: an inlet of 64 KiB and an outlet of 1 MiB work together. */
    @Test
    void anInletAndOutletWithDifferentWindowsStillCarryBytes() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target(), 1024 * 1024);
        Inlet inlet = startInlet(64 * 1024);
        byte[] bytes = new byte[300_000];
        new Random(1).nextBytes(bytes);
        try (Socket s = connect(inlet)) {
            assertThat(echoThrough(s, bytes)).isEqualTo(bytes);
        }
    }

    /** Ends that stop at once (the target resets every connection) are not counted once gone. */
    @Test
    void connectionsToATargetThatResetsAtOnceAreNotCountedForever() throws Exception {
        rawTarget = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!rawTarget.isClosed()) {
                try {
                    Socket s = rawTarget.accept();
                    s.setSoLinger(true, 0);
                    s.close();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        Outlet outlet = startServer("127.0.0.1:" + rawTarget.getLocalPort(), 512 * 1024);
        Inlet inlet = startInlet(512 * 1024);
        for (int i = 0; i < 300; i++) {
            try (Socket s = connect(inlet)) {
                readToEndOrReset(s.getInputStream());
            }
        }
        Await.await("no connection left", IN_TIME, () -> outlet.openConnections() == 0 && inlet.openConnections() == 0);
    }

    /** A server that writes one byte at a time (many tiny messages, each costing its share of the window) loses none. */
    @Test
    void aServerWritingOneByteAtATimeArrivesWholeAndInOrder() throws Exception {
        int count = 20_000;
        target = new TargetServer((socket, t) -> {
            socket.setTcpNoDelay(true);
            var out = socket.getOutputStream();
            for (int i = 0; i < count; i++) {
                out.write(i % 251);
                out.flush();
                t.written.incrementAndGet();
            }
            socket.shutdownOutput();
            socket.getInputStream().read();
        });
        startServer(target.target(), Portal.MIN_WINDOW);
        Inlet inlet = startInlet(Portal.MIN_WINDOW);
        try (Socket s = connect(inlet)) {
            Await.await("the server wrote everything", IN_TIME, () -> target.written.get() == count);
            byte[] got = s.getInputStream().readAllBytes();
            assertThat(got).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(got[i] & 0xff).as("byte %d", i).isEqualTo(i % 251);
            }
        }
    }
}
