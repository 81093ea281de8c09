package org.hopseal.core.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.channel.SecureChannels;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a TCP transport admits and refuses: addresses, versions, connection limits, idle connections. */
class TcpTransportLimitsTest {
    private TestNode node;
    private int port;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private TcpTransport listening(TcpTransportOptions options) throws HopsealException {
        node = TestNode.builder().echoerExposedTo(Exposure.transports()).start();
        TcpTransport tcp = TcpTransport.create(node.context(), options);
        port = tcp.listen("127.0.0.1:0").getPort();
        return tcp;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.await(what, Duration.ofSeconds(5), condition);
    }

    /** A peer speaking the wire format by hand. */
    private final class RawPeer implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final DataInputStream in;

        RawPeer() throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            out = socket.getOutputStream();
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /**
         * Whether the node hung up: the end of the stream, or a reset when it closed with bytes of ours unread (which
         * of the two depends on whether they arrived before it closed).
         */
        boolean hungUp() throws IOException {
            try {
                return in.read() == -1;
            } catch (SocketException e) {
                return e.getMessage().contains("Connection reset");
            }
        }

        /** The next frame's message: a u32 big-endian length, then that many bytes. */
        TransportMessage next() throws IOException, DecodeException {
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return TransportMessage.decode(body);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static RoutingException routingError(ThrowableAssertCall call) {
        try {
            call.run();
        } catch (RoutingException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a RoutingException, got " + e, e);
        }
        throw new AssertionError("expected a RoutingException");
    }

    @FunctionalInterface
    private interface ThrowableAssertCall {
        void run() throws Exception;
    }

    @Test
    void hostAndPortAreParsedAndBadOnesAreInvalid() throws Exception {
        assertThat(TcpTransport.parse("127.0.0.1:4000")).isEqualTo(new InetSocketAddress("127.0.0.1", 4000));
        assertThat(TcpTransport.parse("[::1]:65535").getPort()).isEqualTo(65535);
        assertThat(TcpTransport.parse("[::1]:65535").getAddress().getHostAddress()).contains(":");
        assertThat(TcpTransport.parse("127.0.0.1:0").getPort()).isZero();
        for (String bad : new String[] {"127.0.0.1", ":4000", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:65536", "127.0.0.1:-1"}) {
            assertThat(routingError(() -> TcpTransport.parse(bad)).kind()).as(bad).isEqualTo(ErrorKind.INVALID);
        }
        assertThat(routingError(() -> TcpTransport.parse("127.0.0.1:65536"))).hasMessage("port 65536 is out of range");
        assertThat(routingError(() -> TcpTransport.parse("127.0.0.1:-1"))).hasMessage("port -1 is out of range");
        assertThat(routingError(() -> TcpTransport.parse("h:"))).hasMessage("'h:' is not host:port");
        assertThat(routingError(() -> TcpTransport.parse("h:p"))).hasMessage("'h:p' has no valid port");
    }

    @Test
    void aRawPeerGetsTheVersionByteAndAnEchoOverTheSameConnection() throws Exception {
        listening(TcpTransportOptions.defaults());
        try (RawPeer peer = new RawPeer()) {
            assertThat(peer.in.read()).isEqualTo(TcpFrames.PROTOCOL_VERSION);
            TransportMessage hello = TransportMessage.wrap(Route.of("echoer"), Route.of("me"), new byte[] {1, 2, 3});
            peer.send(new byte[] {1});
            peer.send(FrameBytes.of(hello));
            TransportMessage reply = peer.next();
            assertThat(reply.onwardRoute()).isEqualTo(Route.of("me"));
            assertThat(reply.payload()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aMessageWithAnEmptyOnwardRouteIsDroppedAndTheConnectionKeepsWorking() throws Exception {
        listening(TcpTransportOptions.defaults());
        try (RawPeer peer = new RawPeer()) {
            assertThat(peer.in.read()).isEqualTo(1);
            peer.send(new byte[] {1});
            peer.send(FrameBytes.of(TransportMessage.wrap(Route.empty(), Route.of("me"), new byte[] {9})));
            peer.send(FrameBytes.of(TransportMessage.wrap(Route.of("echoer"), Route.of("me"), new byte[] {4})));
            assertThat(peer.next().payload()).containsExactly(4);
        }
    }

    @Test
    void aPeerWithAnotherProtocolVersionIsHungUpOn() throws Exception {
        TcpTransport tcp = listening(TcpTransportOptions.defaults());
        try (RawPeer peer = new RawPeer()) {
            assertThat(peer.in.read()).isEqualTo(1);
            peer.send(new byte[] {2});
            peer.send(FrameBytes.of(TransportMessage.wrap(Route.of("echoer"), Route.of("me"), new byte[] {4})));
            assertThat(peer.hungUp()).isTrue();
        }
        await(() -> tcp.connectionCount() == 0, "the connection is forgotten");
    }

    @Test
    void aFrameOverTheConfiguredMaximumClosesTheConnectionAndOneAtItIsRead() throws Exception {
        listening(TcpTransportOptions.defaults().withMaxFrameSize(100));
        TransportMessage fits = TransportMessage.wrap(Route.of("echoer"), Route.of("me"), new byte[80]);
        int size = fits.encodedSize();
        TransportMessage exact = TransportMessage.wrap(Route.of("echoer"), Route.of("me"), new byte[80 + 100 - size]);
        assertThat(exact.encodedSize()).isEqualTo(100);
        try (RawPeer peer = new RawPeer()) {
            assertThat(peer.in.read()).isEqualTo(1);
            peer.send(new byte[] {1});
            peer.send(FrameBytes.of(exact));
            assertThat(peer.next().payload()).hasSize(exact.payload().length);
            peer.send(FrameBytes.of(TransportMessage.wrap(Route.of("echoer"), Route.of("me"), new byte[exact.payload().length + 1])));
            assertThat(peer.hungUp()).isTrue();
        }
    }

    @Test
    void connectionsOverTheTotalLimitAreRefusedAndAdmittedAgainOnceOneCloses() throws Exception {
        TcpTransport tcp = listening(TcpTransportOptions.defaults().withMaxConnections(2, 64));
        try (RawPeer first = new RawPeer(); RawPeer second = new RawPeer()) {
            assertThat(first.in.read()).isEqualTo(1);
            assertThat(second.in.read()).isEqualTo(1);
            await(() -> tcp.connectionCount() == 2, "two connections");
            try (RawPeer third = new RawPeer()) {
                assertThat(third.in.read()).as("refused before any byte").isEqualTo(-1);
            }
            first.close();
            await(() -> tcp.connectionCount() == 1, "the first is forgotten");
            try (RawPeer fourth = new RawPeer()) {
                assertThat(fourth.in.read()).isEqualTo(1);
            }
        }
    }

    @Test
    void aConnectionThisNodeDialedGivesBackNoPlaceOfTheInboundLimitWhenItCloses() throws Exception {
        TcpTransport tcp = listening(TcpTransportOptions.defaults().withMaxConnections(100, 1));
        try (RawPeer first = new RawPeer(); ServerSocket elsewhere = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(first.in.read()).isEqualTo(1);
            // This node dials a peer on the same host, which hangs up.
            node.context().send(Route.of(Address.tcp("127.0.0.1:" + elsewhere.getLocalPort()), Address.of("x")), "hello");
            elsewhere.accept().close();
            await(() -> tcp.connectionCount() == 1, "the dialed connection is forgotten");
            try (RawPeer second = new RawPeer()) {
                assertThat(second.in.read()).as("the host's one inbound place is still taken").isEqualTo(-1);
            }
        }
    }

    @Test
    void connectionsOverThePerHostLimitAreRefusedAndTheCountIsGivenBack() throws Exception {
        TcpTransport tcp = listening(TcpTransportOptions.defaults().withMaxConnections(100, 1));
        // The version byte is sent before the connection is counted: each is awaited as counted before it closes, so
        // that a count of zero afterwards means it was forgotten (and its host's place given back), not not yet counted.
        try (RawPeer first = new RawPeer()) {
            assertThat(first.in.read()).isEqualTo(1);
            await(() -> tcp.connectionCount() == 1, "the first is counted");
            try (RawPeer second = new RawPeer()) {
                assertThat(second.in.read()).isEqualTo(-1);
            }
        }
        await(() -> tcp.connectionCount() == 0, "the first is forgotten");
        for (int i = 0; i < 3; i++) {
            try (RawPeer again = new RawPeer()) {
                assertThat(again.in.read()).as("connection %d after the first closed", i).isEqualTo(1);
                await(() -> tcp.connectionCount() == 1, "counted again");
            }
            await(() -> tcp.connectionCount() == 0, "closed again");
        }
    }

    @Test
    void dialingBeyondTheTotalLimitIsUnavailable() throws Exception {
        listening(TcpTransportOptions.defaults());
        try (Node dialer = Node.start(); ServerSocket other = new ServerSocket(0)) {
            TcpTransport tcp = TcpTransport.create(dialer.context(), TcpTransportOptions.defaults().withMaxConnections(1, 1));
            var ctx = dialer.context().newContext(Address.random(), Exposure.transports());
            ctx.send(Route.of(Address.tcp("127.0.0.1:" + port), Address.of("echoer")), "one");
            assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("one");
            assertThat(tcp.connectionCount()).isEqualTo(1);
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> ctx.send(Route.of(Address.tcp("127.0.0.1:" + other.getLocalPort()), Address.of("echoer")), "two"))
                    .isInstanceOf(RoutingException.class).hasMessageContaining("1 connections are open already");
        }
    }

    @Test
    void anIdleConnectionIsClosedAndABusyOneIsNot() throws Exception {
        TcpTransport tcp = listening(TcpTransportOptions.defaults().withIdleTimeout(Duration.ofMillis(300)));
        try (RawPeer idle = new RawPeer()) {
            assertThat(idle.in.read()).isEqualTo(1);
            await(() -> tcp.connectionCount() == 1, "connected");
            long start = System.nanoTime();
            assertThat(idle.in.read()).as("hung up on for idleness").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the idle timeout").isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
        await(() -> tcp.connectionCount() == 0, "forgotten");
    }

    @Test
    @Tag("slow")
    void aQuietConnectionThatCarriesAnOpenChannelIsKeptAndClosingItClosesTheChannel() throws Exception {
        TcpTransport tcp = listening(TcpTransportOptions.defaults().withIdleTimeout(Duration.ofSeconds(1)));
        SecureChannels.createListener(node.context(), Address.of("secure"), SoftwareVault.vaults(), null,
                SecureChannelOptions.defaults());
        node.context().startWorker("channel-echoer", new Echoer(), Exposure.channelsOf("secure"));
        try (TestNode dialer = TestNode.start()) {
            TcpTransport.create(dialer.context(), TcpTransportOptions.defaults().withIdleTimeout(Duration.ofSeconds(1)));
            var ctx = dialer.context();
            Address channel = SecureChannels.create(ctx, Route.of(Address.tcp("127.0.0.1:" + port), Address.of("secure")),
                    SoftwareVault.vaults(), null, SecureChannelOptions.defaults()).encryptor();
            // Quiet for more than two idle timeouts: two idle connections, each opened after the channel's, are hung
            // up on in turn, while the channel keeps its connection and still carries messages.
            for (int i = 0; i < 2; i++) {
                try (RawPeer idle = new RawPeer()) {
                    assertThat(idle.in.read()).isEqualTo(1);
                    assertThat(idle.in.read()).as("an idle connection without a channel is hung up on").isEqualTo(-1);
                }
            }
            await(() -> tcp.connectionCount() == 1, "the idle connections are forgotten");
            ctx.send(Route.of(channel, Address.of("channel-echoer")), "kept");
            assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).as("the connection a channel uses stays").isEqualTo("kept");
            assertThat(tcp.connectionCount()).isEqualTo(1);
            ChannelInfo dialerEnd = SecureChannelRegistry.of(Node.of(ctx)).get(channel).orElseThrow();
            assertThat(dialerEnd.firstHop()).isEqualTo(Address.tcp("127.0.0.1:" + port));
            tcp.close();
            await(() -> SecureChannelRegistry.of(Node.of(ctx)).get(channel).isEmpty(), "the channel over the closed connection is closed");
        }
    }

    @Test
    void theOptionsAreReportedAndTheFrameSizeFollowsThem() throws Exception {
        TcpTransport tcp = listening(TcpTransportOptions.defaults().withMaxFrameSize(4096));
        assertThat(tcp.maxFrameSize()).isEqualTo(4096);
        assertThat(tcp.options().maxFrameSize()).isEqualTo(4096);
        assertThat(TcpTransport.create(node.context())).as("one transport per node").isSameAs(tcp);
    }
}
