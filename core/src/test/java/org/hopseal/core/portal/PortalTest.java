package org.hopseal.core.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.policy.Policy;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.portal.Outlet;
import org.hopseal.api.portal.Portal;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.core.runtime.CoreNodeFactory;
import org.hopseal.testing.Await;
import org.hopseal.testing.SilentListener;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Inlets and outlets on two nodes over loopback TCP, carrying real sockets to small TCP servers. */
class PortalTest {
    private static final Duration IN_TIME = Duration.ofSeconds(20);

    private final Vaults serverVaults = SoftwareVault.vaults();
    private final Vaults clientVaults = SoftwareVault.vaults();
    private final MeterRegistry serverMeters = new SimpleMeterRegistry();
    private HopsealNode server;
    private HopsealNode client;
    private Entity serverIdentity;
    private InetSocketAddress serverAddress;
    private TargetServer target;

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
        serverVaults.close();
        clientVaults.close();
    }

    /** The outlet's node: listener 'secure' (and 'other'), an outlet 'svc' to {@code to} reachable through 'secure'. */
    private Outlet startServer(String to) throws Exception {
        return startServer(to, Portal.DEFAULT_MAX_CONNECTIONS, Portal.DEFAULT_WINDOW);
    }

    private Outlet startServer(String to, int maxConnections, int window) throws Exception {
        return startServer(to, outlet -> outlet.maxConnections(maxConnections).window(window));
    }

    /** As {@link #startServer(String)}, with the outlet's builder given to {@code settings} before it starts. */
    private Outlet startServer(String to, UnaryOperator<Outlet.Builder> settings) throws Exception {
        server = CoreNodeFactory.builder(NodeMetrics.of(serverMeters)).vaults(serverVaults).start();
        serverIdentity = Entity.createOrLoad(server.context(), serverVaults, "server");
        serverIdentity.createSecureChannelListener("secure");
        serverIdentity.createSecureChannelListener("other");
        Outlet outlet = settings.apply(server.outlet("svc", to).reachableThrough("secure")).start();
        serverAddress = server.tcp().listen(serverAddress == null ? "127.0.0.1:0" : "127.0.0.1:" + serverAddress.getPort());
        return outlet;
    }

    private Inlet startInlet(String listener, String outlet) throws Exception {
        return startInlet(listener, outlet, Portal.DEFAULT_WINDOW);
    }

    private Inlet startInlet(String listener, String outlet, int window) throws Exception {
        if (client == null) {
            client = HopsealNode.builder().vaults(clientVaults).start();
        }
        Entity me = Entity.createOrLoad(client.context(), clientVaults, "client");
        return client.inlet("127.0.0.1:0").to(Route.of(Address.tcp("127.0.0.1:" + serverAddress.getPort()), Address.of(listener)))
                .outlet(outlet).entity(me).window(window)
                .channelOptions(SecureChannelOptions.defaults().withTrustPolicy(new TrustIdentifierPolicy(serverIdentity.identifier())))
                .start();
    }

    private static Socket connect(Inlet inlet) throws IOException {
        Socket s = new Socket(inlet.address().getAddress(), inlet.address().getPort());
        s.setSoTimeout((int) IN_TIME.toMillis());
        return s;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code bytes} on another thread, reads as many back on this one. */
    private static byte[] echoThrough(Socket s, byte[] bytes) throws Exception {
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < bytes.length; i += 10_000) {
                    out.write(bytes, i, Math.min(10_000, bytes.length - i));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] back = s.getInputStream().readNBytes(bytes.length);
        writing.get(IN_TIME.toSeconds(), TimeUnit.SECONDS);
        return back;
    }

    @Test
    void bytesCrossBothWaysInOrderAndTheInletNamesThePeerItAuthenticated() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target());
        Inlet inlet = startInlet("secure", "svc");
        assertThat(inlet.peer()).contains(serverIdentity.identifier());

        byte[] bytes = random(3 * 1024 * 1024 + 17, 1);
        try (Socket s = connect(inlet)) {
            assertThat(echoThrough(s, bytes)).isEqualTo(bytes);
        }
    }

    @Test
    void theOutletsNodeCountsAnOpenPortalConnectionUntilItCloses() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target());
        Inlet inlet = startInlet("secure", "svc");
        assertThat(portalConnections()).isZero();
        try (Socket s = connect(inlet)) {
            byte[] bytes = random(1000, 3);
            assertThat(echoThrough(s, bytes)).isEqualTo(bytes);
            assertThat(portalConnections()).as("the outlet's end of this connection").isEqualTo(1);
        }
        Await.await("the outlet's end closed", IN_TIME, () -> portalConnections() == 0);
    }

    private double portalConnections() {
        return serverMeters.get("hopseal.portal.connections").gauge().value();
    }

    @Test
    void aHalfCloseIsForwardedAndTheAnswerAfterItStillArrives() throws Exception {
        target = new TargetServer(TargetServer.COUNT_THEN_ANSWER);
        startServer(target.target());
        Inlet inlet = startInlet("secure", "svc");
        try (Socket s = connect(inlet)) {
            s.getOutputStream().write(random(200_000, 2));
            s.shutdownOutput();
            byte[] answer = s.getInputStream().readAllBytes();
            assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("read 200000");
        }
        Await.await("both ends closed", IN_TIME, () -> inlet.openConnections() == 0);
    }

    /** A port of the loopback address that nothing listens on (free a moment ago). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aTargetThatRefusesClosesTheClientsConnectionWithNoData() throws Exception {
        startServer("127.0.0.1:" + freePort());
        Inlet inlet = startInlet("secure", "svc");
        try (Socket s = connect(inlet)) {
            assertThat(readToEndOrReset(s.getInputStream())).as("no data, then the end").isZero();
        }
        Await.await("the connection is gone", IN_TIME, () -> inlet.openConnections() == 0);
    }

    /** The bytes read before the stream ended or was reset. */
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

    @Test
    void anOutletAdmitsOnlyPeersItsPolicyAcceptsWithTheirCurrentAttributes() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        server = HopsealNode.builder().vaults(serverVaults).start();
        serverIdentity = Entity.createOrLoad(server.context(), serverVaults, "server");
        Entity authority = Entity.createOrLoad(server.context(), serverVaults, "authority");
        serverIdentity.createSecureChannelListener("secure", SecureChannelOptions.defaults().withAuthorities(Set.of(authority.identifier())));
        server.outlet("svc", target.target()).reachableThrough("secure").trust(Policy.parse("subject.role = \"web\"")).start();
        serverAddress = server.tcp().listen("127.0.0.1:0");
        client = HopsealNode.builder().vaults(clientVaults).start();
        Route toServer = Route.of(Address.tcp("127.0.0.1:" + serverAddress.getPort()), Address.of("secure"));
        Inlet[] inlets = new Inlet[2];
        String[] roles = {"web", "db"};
        for (int i = 0; i < 2; i++) {
            Entity me = Entity.createOrLoad(client.context(), clientVaults, "client-" + roles[i]);
            Credential credential = authority.issueCredential(me.identifier(), Map.of("role", roles[i]), Duration.ofHours(1));
            inlets[i] = client.inlet("127.0.0.1:0").to(toServer).outlet("svc").entity(me)
                    .channelOptions(SecureChannelOptions.defaults().withCredentials(CredentialSource.of(credential))).start();
        }

        try (Socket web = connect(inlets[0])) {
            assertThat(echoThrough(web, random(1000, 7))).isEqualTo(random(1000, 7));
        }
        long started = System.nanoTime();
        try (Socket db = connect(inlets[1])) {
            assertThat(readToEndOrReset(db.getInputStream())).as("refused with no data").isZero();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once").isLessThan(CoreInlet.ANSWER_TIMEOUT);
        assertThat(target.accepted).as("only the web client's connection reached the target").hasValue(1);
    }

    @Test
    void anOutletIsNotReachableThroughAnotherListenerNorByAName() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target());
        Inlet wrongListener = startInlet("other", "svc");
        Inlet wrongName = startInlet("secure", "nothing");
        for (Inlet inlet : new Inlet[] {wrongListener, wrongName}) {
            long started = System.nanoTime();
            try (Socket s = connect(inlet)) {
                assertThat(readToEndOrReset(s.getInputStream())).isZero();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once, not after the answer timeout")
                    .isLessThan(CoreInlet.ANSWER_TIMEOUT);
        }
        assertThat(target.accepted).as("the target never saw a connection").hasValue(0);
    }

    @Test
    void rawTransportMessagesDoNotReachAnOutlet() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target());
        client = HopsealNode.builder().vaults(clientVaults).start();
        client.tcp();
        var ctx = client.context().newContext(Address.random(), Exposure.transports());
        PortalMessage.register(ctx.codecs());
        ctx.send(Route.of(Address.tcp("127.0.0.1:" + serverAddress.getPort()), Address.of("svc")), new PortalMessage.Connect(Portal.DEFAULT_WINDOW));
        assertHopsealError(ErrorKind.NOT_FOUND, () -> ctx.receive(PortalMessage.class, IN_TIME));
        assertThat(target.accepted).hasValue(0);
    }

    @Test
    void aSlowClientHoldsOnlyAWindowOnThePathAndDoesNotSlowTheOtherConnections() throws Exception {
        target = new TargetServer((socket, t) -> {
            if (t.accepted.get() == 1) {
                TargetServer.FLOOD.serve(socket, t);
            } else {
                TargetServer.ECHO.serve(socket, t);
            }
        });
        startServer(target.target());
        Inlet inlet = startInlet("secure", "svc");
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(64 * 1024);
            slow.setSoTimeout((int) IN_TIME.toMillis());
            slow.connect(inlet.address());
            slow.getOutputStream().write(1);
            long held = Await.stable(target.written::get, Duration.ofMillis(500), IN_TIME);
            // The flooding server and the client keep small socket buffers, so what the server got rid of sits
            // mostly in the two sockets of the portal's ends (autotuned by the kernel, a few MiB here) and one window.
            // Without flow control the outlet's end would read on until the client node's mailbox budget for the
            // connection (32 MiB) and the TCP connection's queue (4 MiB) are full.
            long bound = 16L << 20;
            assertThat(held).as("bytes the server could write to a client that reads nothing").isLessThan(bound);

            byte[] bytes = random(2 * 1024 * 1024, 3);
            try (Socket other = connect(inlet)) {
                assertThat(echoThrough(other, bytes)).isEqualTo(bytes);
            }
            long deadline = System.nanoTime() + IN_TIME.toNanos();
            long read = 0;
            while (target.written.get() <= held && System.nanoTime() < deadline) {
                read += slow.getInputStream().readNBytes(1024 * 1024).length;
            }
            assertThat(target.written.get()).as("the flood goes on once the client reads (read %d)", read).isGreaterThan(held);
        }
    }

    @Test
    void theEndOfTheChannelClosesItsConnectionsAndTheInletOpensANewChannel() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target());
        Inlet inlet = startInlet("secure", "svc");
        try (Socket s = connect(inlet)) {
            assertThat(echoThrough(s, new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
            server.stop();
            assertThat(readToEndOrReset(s.getInputStream())).isZero();
        }
        Await.await("the inlet has no channel", IN_TIME, () -> inlet.peer().isEmpty());
        Await.await("the target's connection closed", IN_TIME, () -> target.open() == 0);

        startServer(target.target());
        Await.await("the inlet opened a new channel", IN_TIME, () -> inlet.peer().isPresent());
        assertThat(inlet.peer()).contains(serverIdentity.identifier());
        byte[] bytes = random(100_000, 4);
        try (Socket s = connect(inlet)) {
            assertThat(echoThrough(s, bytes)).isEqualTo(bytes);
        }
    }

    @Test
    void closingTheInletAndTheOutletClosesTheirConnections() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        Outlet outlet = startServer(target.target());
        Inlet inlet = startInlet("secure", "svc");
        Socket a = connect(inlet);
        assertThat(echoThrough(a, new byte[] {7})).containsExactly(7);
        assertThat(outlet.openConnections()).isEqualTo(1);
        outlet.close();
        assertThat(readToEndOrReset(a.getInputStream())).isZero();
        Await.await("both ends closed", IN_TIME, () -> inlet.openConnections() == 0 && outlet.openConnections() == 0);
        a.close();

        inlet.close();
        assertThat(connectionRefusedOrClosed(inlet)).isTrue();
    }

    private static boolean connectionRefusedOrClosed(Inlet inlet) {
        try (Socket s = connect(inlet)) {
            return s.getInputStream().read() < 0;
        } catch (IOException refused) {
            return true;
        }
    }

    @Test
    void anOutletRefusesConnectionsBeyondItsLimitUntilOneCloses() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        Outlet outlet = startServer(target.target(), 2, Portal.DEFAULT_WINDOW);
        Inlet inlet = startInlet("secure", "svc");
        try (Socket a = connect(inlet); Socket b = connect(inlet)) {
            assertThat(echoThrough(a, new byte[] {1})).containsExactly(1);
            assertThat(echoThrough(b, new byte[] {2})).containsExactly(2);
            try (Socket third = connect(inlet)) {
                assertThat(readToEndOrReset(third.getInputStream())).as("refused with no data").isZero();
            }
            assertThat(target.accepted).hasValue(2);
            a.close();
            Await.await("the first closed at the outlet", IN_TIME, () -> outlet.openConnections() == 1);
            try (Socket again = connect(inlet)) {
                assertThat(echoThrough(again, new byte[] {3})).containsExactly(3);
            }
        }
    }

    @Test
    void anInletClosesConnectionsBeyondItsLimitUntilOneEnds() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target());
        client = HopsealNode.builder().vaults(clientVaults).start();
        Inlet inlet = client.inlet("127.0.0.1:0").to(Route.of(Address.tcp("127.0.0.1:" + serverAddress.getPort()), Address.of("secure")))
                .outlet("svc").entity(Entity.createOrLoad(client.context(), clientVaults, "client")).maxConnections(1).start();
        try (Socket a = connect(inlet)) {
            assertThat(echoThrough(a, new byte[] {1})).containsExactly(1);
            try (Socket second = connect(inlet)) {
                assertThat(readToEndOrReset(second.getInputStream())).isZero();
            }
            assertThat(echoThrough(a, new byte[] {2})).as("the first goes on").containsExactly(2);
        }
        Await.await("a new connection is carried once the first ended", IN_TIME, () -> carries(inlet));
    }

    /** Whether a new connection to {@code inlet} echoes a byte (false if the inlet closed it). */
    private static boolean carries(Inlet inlet) {
        try (Socket s = connect(inlet)) {
            s.getOutputStream().write(42);
            return s.getInputStream().read() == 42;
        } catch (IOException closed) {
            return false;
        }
    }

    @Test
    void anInletOrOutletWithoutWhatItNeedsIsRefusedClearly() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target());
        assertHopsealError(ErrorKind.INVALID, () -> server.outlet("x", target.target()).start())
                .hasMessageContaining("reachable through at least one secure-channel listener");
        assertHopsealError(ErrorKind.INVALID, () -> server.outlet("x", "no-port").reachableThrough("secure").start());
        assertHopsealError(ErrorKind.INVALID, () -> server.inlet("127.0.0.1:0").outlet("svc").start())
                .hasMessageContaining("needs the route");
        assertHopsealError(ErrorKind.ALREADY_EXISTS, () -> server.outlet("svc", target.target()).reachableThrough("secure").start());
        assertThatThrownBy(() -> server.outlet("x", target.target()).window(Portal.MIN_WINDOW - 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> server.inlet("127.0.0.1:0").window(Portal.MAX_WINDOW + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.outlet("x", target.target()).maxConnections(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.inlet("127.0.0.1:0").maxConnections(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> server.outlet("x", target.target()).connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.outlet("x", target.target()).connectTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect timeout");
        assertThatThrownBy(() -> server.inlet("127.0.0.1:0").to(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one route");
    }

    @Test
    void anInletAndAnOutletWithDifferentWindowsCarryBytesBothWays() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target(), Portal.DEFAULT_MAX_CONNECTIONS, Portal.MAX_WINDOW);
        Inlet inlet = startInlet("secure", "svc", Portal.MIN_WINDOW);
        byte[] bytes = random(300_000, 5);
        try (Socket s = connect(inlet)) {
            assertThat(echoThrough(s, bytes)).isEqualTo(bytes);
        }
    }

    @Test
    void endsThatStopAtOnceAreNoLongerCounted() throws Exception {
        target = new TargetServer((socket, t) -> socket.setSoLinger(true, 0));
        Outlet outlet = startServer(target.target());
        Inlet inlet = startInlet("secure", "svc");
        for (int i = 0; i < 300; i++) {
            try (Socket s = connect(inlet)) {
                readToEndOrReset(s.getInputStream());
            }
        }
        Await.await("no connection left", IN_TIME, () -> outlet.openConnections() == 0 && inlet.openConnections() == 0);
    }

    /** Many tiny messages, each costing its share of the window: none lost, none out of order. */
    @Test
    void aServerWritingOneByteAtATimeArrivesWholeAndInOrder() throws Exception {
        int count = 20_000;
        target = new TargetServer((socket, t) -> {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < count; i++) {
                out.write(i % 251);
                out.flush();
                t.written.incrementAndGet();
            }
            socket.shutdownOutput();
            socket.getInputStream().read();
        });
        startServer(target.target(), Portal.DEFAULT_MAX_CONNECTIONS, Portal.MIN_WINDOW);
        Inlet inlet = startInlet("secure", "svc", Portal.MIN_WINDOW);
        try (Socket s = connect(inlet)) {
            Await.await("the server wrote everything", IN_TIME, () -> target.written.get() == count);
            byte[] got = s.getInputStream().readAllBytes();
            assertThat(got).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(got[i] & 0xff).as("byte %d", i).isEqualTo(i % 251);
            }
        }
    }

    /** A hand-made inlet end: the client node's own context, with a channel to the server's listener 'secure'. */
    private record RawPeer(Context ctx, Address channel) {
        /** Sends {@code payload} (any bytes) to {@code route}. */
        void sendRaw(Route route, byte[] payload) throws Exception {
            ctx.forward(new LocalMessage(TransportMessage.wrap(route, Route.of(ctx.address()), payload)));
        }

        /** Asks outlet 'svc' for a connection; returns its answer, whatever it is. */
        Routed<PortalMessage> ask(int window) throws Exception {
            ctx.send(Route.of(channel, Address.of("svc")), new PortalMessage.Connect(window));
            return ctx.receiveRouted(PortalMessage.class, IN_TIME);
        }

        /** Asks outlet 'svc' for a connection; returns the route to the outlet's end of it. */
        Route connect(int window) throws Exception {
            Routed<PortalMessage> connected = ask(window);
            assertThat(connected.body()).isEqualTo(new PortalMessage.Connected(Portal.DEFAULT_WINDOW));
            return connected.returnRoute();
        }

        String closeReason() throws Exception {
            PortalMessage answer = ctx.receive(PortalMessage.class, IN_TIME);
            assertThat(answer).isInstanceOf(PortalMessage.Close.class);
            return ((PortalMessage.Close) answer).reason();
        }
    }

    private RawPeer rawPeer() throws Exception {
        client = HopsealNode.builder().vaults(clientVaults).start();
        client.tcp();
        Context ctx = client.context();
        PortalMessage.register(ctx.codecs());
        Entity me = Entity.createOrLoad(ctx, clientVaults, "client");
        return new RawPeer(ctx, me.createSecureChannel(Route.of(Address.tcp("127.0.0.1:" + serverAddress.getPort()), Address.of("secure"))));
    }

    @Test
    void anOutletsEndResetsItsTargetOnEveryProtocolViolation() throws Exception {
        target = new TargetServer(TargetServer.COUNT_THEN_ANSWER);
        Outlet outlet = startServer(target.target());
        RawPeer peer = rawPeer();
        byte[][] violations = {
            {9},                                                     // not a portal message
            {0, (byte) 0x80, (byte) 0x80, 0x20},                     // a second Connect
            {1, (byte) 0x80, (byte) 0x80, 0x20},                     // a Connected to the outlet's own end
            PortalMessage.Data.encode(ByteBuffer.allocate(Portal.DEFAULT_WINDOW + 1)), // more than the window at once
        };
        String[] reasons = {"malformed", "unexpected Connect", "unexpected Connected", "more than its window"};
        for (int i = 0; i < violations.length; i++) {
            Route end = peer.connect(Portal.DEFAULT_WINDOW);
            peer.sendRaw(end, violations[i]);
            assertThat(peer.closeReason()).as("violation %d", i).contains(reasons[i]);
            long accepted = i + 1;
            Await.await("the target's connection was reset", IN_TIME, () -> target.accepted.get() == accepted && target.open() == 0);
        }
        Await.await("no end left", IN_TIME, () -> outlet.openConnections() == 0);
    }

    @Test
    void aHalfCloseFromAHandMadeEndAndTheOutletsAnswerAfterIt() throws Exception {
        target = new TargetServer(TargetServer.COUNT_THEN_ANSWER);
        startServer(target.target());
        RawPeer peer = rawPeer();
        Route end = peer.connect(Portal.DEFAULT_WINDOW);
        peer.ctx().send(end, new PortalMessage.Data("hello".getBytes(StandardCharsets.US_ASCII), 0, 5));
        peer.ctx().send(end, new PortalMessage.End());
        PortalMessage.Data answer = (PortalMessage.Data) peer.ctx().receive(PortalMessage.class, IN_TIME);
        assertThat(new String(answer.bytes(), answer.offset(), answer.length(), StandardCharsets.US_ASCII)).isEqualTo("read 5");
        assertThat(peer.ctx().receive(PortalMessage.class, IN_TIME)).isEqualTo(new PortalMessage.End());
    }

    /** A fake outlet on the server node that answers every Connect with {@code answer}'s messages, as it likes. */
    private void fakeOutlet(PortalMessage... answer) throws Exception {
        server = HopsealNode.builder().vaults(serverVaults).start();
        serverIdentity = Entity.createOrLoad(server.context(), serverVaults, "server");
        serverIdentity.createSecureChannelListener("secure");
        PortalMessage.register(server.context().codecs());
        server.context().startWorker(Address.of("svc"), PortalMessage.class, (ctx, msg) -> {
            for (PortalMessage m : answer) {
                ctx.send(msg.returnRoute(), m);
            }
        }, Exposure.channelsOf("secure"), m -> true);
        serverAddress = server.tcp().listen("127.0.0.1:0");
    }

    @Test
    void anInletsEndResetsItsClientWhenTheOutletBreaksTheProtocol() throws Exception {
        PortalMessage.Data early = new PortalMessage.Data(new byte[] {1}, 0, 1);
        PortalMessage.Connected twice = new PortalMessage.Connected(Portal.DEFAULT_WINDOW);
        fakeOutlet(early);
        Inlet dataFirst = startInlet("secure", "svc");
        try (Socket s = connect(dataFirst)) {
            assertThat(readToEndOrReset(s.getInputStream())).as("data before Connected: reset, nothing passed on").isZero();
        }
        server.stop();
        client.stop();
        client = null;
        fakeOutlet(twice, twice);
        Inlet connectedTwice = startInlet("secure", "svc");
        try (Socket s = connect(connectedTwice)) {
            assertThat(readToEndOrReset(s.getInputStream())).as("a second Connected: reset").isZero();
        }
        Await.await("both ends gone", IN_TIME, () -> dataFirst.openConnections() == 0 && connectedTwice.openConnections() == 0);
    }

    @Test
    void aStoppingNodeClosesItsInletEndsClients() throws Exception {
        fakeOutlet();
        Inlet inlet = startInlet("secure", "svc");
        Socket silent = connect(inlet);
        Await.await("the end started", IN_TIME, () -> inlet.openConnections() == 1);
        client.stop();
        assertThat(readToEndOrReset(silent.getInputStream())).as("the node's end closed the client's socket").isZero();
        silent.close();
        assertThat(inlet.openConnections()).isZero();
    }

    @Test
    void anOutletThatCannotReachItsTargetSaysWhyAndGivesItsPlaceBack() throws Exception {
        int port = freePort();
        startServer("127.0.0.1:" + port, 1, Portal.DEFAULT_WINDOW);
        RawPeer peer = rawPeer();
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThat(peer.ask(Portal.DEFAULT_WINDOW).body()).as("attempt %d", attempt).isInstanceOfSatisfying(PortalMessage.Close.class,
                    close -> assertThat(close.reason()).contains("cannot connect to target"));
        }
        target = new TargetServer(TargetServer.COUNT_THEN_ANSWER, port);
        Route end = peer.connect(Portal.DEFAULT_WINDOW);
        peer.ctx().send(end, new PortalMessage.End());
        assertThat(peer.ctx().receive(PortalMessage.class, IN_TIME)).as("the target's answer").isInstanceOf(PortalMessage.Data.class);
    }

    @Test
    void anOutletGivesUpOnATargetThatDoesNotAnswerWithinItsConnectTimeout() throws Exception {
        try (SilentListener silent = SilentListener.open()) {
            startServer("127.0.0.1:" + silent.port(), outlet -> outlet.connectTimeout(Duration.ofMillis(200)));
            RawPeer peer = rawPeer();
            assertThat(peer.ask(Portal.DEFAULT_WINDOW).body()).isInstanceOfSatisfying(PortalMessage.Close.class,
                    close -> assertThat(close.reason()).contains("timed out"));
        }
    }

    @Test
    void anInletOpensItsChannelByTheFirstOfItsRoutesThatWorks() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        startServer(target.target());
        client = HopsealNode.builder().vaults(clientVaults).start();
        Route dead = Route.of(Address.tcp("127.0.0.1:" + freePort()), Address.of("secure"));
        Route live = Route.of(Address.tcp("127.0.0.1:" + serverAddress.getPort()), Address.of("secure"));
        Inlet inlet = client.inlet("127.0.0.1:0").to(List.of(dead, live)).outlet("svc")
                .entity(Entity.createOrLoad(client.context(), clientVaults, "client")).start();
        assertThat(inlet.peer()).contains(serverIdentity.identifier());
        try (Socket s = connect(inlet)) {
            assertThat(echoThrough(s, new byte[] {5, 6})).containsExactly(5, 6);
        }
    }

    @Test
    void anInletThatCannotOpenItsFirstChannelDoesNotStartAndFreesItsPort() throws Exception {
        client = HopsealNode.builder().vaults(clientVaults).start();
        Entity me = Entity.createOrLoad(client.context(), clientVaults, "client");
        int port = freePort();
        Route dead = Route.of(Address.tcp("127.0.0.1:" + freePort()), Address.of("secure"));
        assertThatThrownBy(() -> client.inlet("127.0.0.1:" + port).to(dead).outlet("svc").entity(me).start())
                .isInstanceOf(HopsealException.class);
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the inlet's port is free again").isEqualTo(port);
        }
    }

    @Test
    void closingAnInletClosesItsOpenConnectionsAndTheirTargetsConnections() throws Exception {
        target = new TargetServer(TargetServer.ECHO);
        Outlet outlet = startServer(target.target());
        Inlet inlet = startInlet("secure", "svc");
        try (Socket a = connect(inlet)) {
            assertThat(echoThrough(a, new byte[] {7})).containsExactly(7);
            inlet.close();
            assertThat(readToEndOrReset(a.getInputStream())).isZero();
        }
        Await.await("the outlet's end and the target's connection closed", IN_TIME,
                () -> outlet.openConnections() == 0 && target.open() == 0 && inlet.openConnections() == 0);
        assertThat(connectionRefusedOrClosed(inlet)).isTrue();
    }

    @Test
    void anOutletsEndResetsItsTargetOnAViolationButEndsItCleanlyAfterAHalfClose() throws Exception {
        target = new TargetServer(TargetServer.COUNT_ENDINGS);
        Outlet outlet = startServer(target.target());
        RawPeer peer = rawPeer();
        Route violated = peer.connect(Portal.DEFAULT_WINDOW);
        peer.sendRaw(violated, new byte[] {9});
        assertThat(peer.closeReason()).contains("malformed");
        Await.await("the target saw its connection reset", IN_TIME, () -> target.resets.get() == 1);

        Route ended = peer.connect(Portal.DEFAULT_WINDOW);
        peer.ctx().send(ended, new PortalMessage.End());
        Await.await("the target saw its connection end", IN_TIME, () -> target.ends.get() == 1);
        assertThat(peer.ctx().receive(PortalMessage.class, IN_TIME)).as("the target's own end, passed back")
                .isEqualTo(new PortalMessage.End());
        Await.await("both directions ended: the outlet's end closed", IN_TIME, () -> outlet.openConnections() == 0);
        assertThat(target.resets).as("no reset after a clean end").hasValue(1);
    }

    @Test
    void anOutletsEndReturnsCreditOnceAQuarterOfItsWindowReachedTheTarget() throws Exception {
        target = new TargetServer(TargetServer.COUNT_THEN_ANSWER);
        startServer(target.target());
        RawPeer peer = rawPeer();
        Route end = peer.connect(Portal.DEFAULT_WINDOW);
        int quarter = Portal.DEFAULT_WINDOW / 4;
        int least = PortalConnection.cost(1, Portal.DEFAULT_WINDOW);
        peer.ctx().send(end, new PortalMessage.Data(new byte[quarter - least], 0, quarter - least));
        peer.ctx().send(end, new PortalMessage.Data(new byte[1], 0, 1));
        assertThat(peer.ctx().receive(PortalMessage.class, IN_TIME)).as("one credit for both, the byte costing its share of the window")
                .isEqualTo(new PortalMessage.Credit(quarter));
        peer.ctx().send(end, new PortalMessage.End());
        PortalMessage.Data answer = (PortalMessage.Data) peer.ctx().receive(PortalMessage.class, IN_TIME);
        assertThat(new String(answer.bytes(), answer.offset(), answer.length(), StandardCharsets.US_ASCII))
                .isEqualTo("read " + (quarter - least + 1));
    }

    @Test
    void anOutletsEndSendsNoMoreThanTheWindowTheOtherEndAnnouncedUntilItGetsCredit() throws Exception {
        target = new TargetServer(TargetServer.FLOOD);
        startServer(target.target());
        RawPeer peer = rawPeer();
        Route end = peer.connect(Portal.MIN_WINDOW);
        Await.stable(target.written::get, Duration.ofMillis(500), IN_TIME);
        long received = drainData(peer);
        assertThat(received).as("what the outlet's end sent without credit").isPositive().isLessThanOrEqualTo(Portal.MIN_WINDOW);

        peer.ctx().send(end, new PortalMessage.Credit((int) received));
        assertThat(peer.ctx().receive(PortalMessage.class, IN_TIME)).as("more once credit came").isInstanceOf(PortalMessage.Data.class);
    }

    /** What the Data messages that wait for {@code peer} cost against the smallest window, taken until none comes for a while. */
    private static long drainData(RawPeer peer) throws Exception {
        long cost = 0;
        while (true) {
            PortalMessage m;
            try {
                m = peer.ctx().receive(PortalMessage.class, Duration.ofMillis(300));
            } catch (HopsealException quiet) {
                assertThat(quiet.kind()).as("nothing more came").isEqualTo(ErrorKind.TIMEOUT);
                return cost;
            }
            assertThat(m).isInstanceOf(PortalMessage.Data.class);
            cost += PortalConnection.cost(((PortalMessage.Data) m).length(), Portal.MIN_WINDOW);
        }
    }
}
