package org.hopseal.core.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a TCP transport gives back: per-host counts as connections close, its listeners and dialing once closed. */
class TcpTransportLifecycleTest {
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.await(what, Duration.ofSeconds(10), condition);
    }

    /** Connects to {@code port}; whether the transport admitted it (sent its version byte) or hung up. */
    private static boolean admitted(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        return in.read() == TcpFrames.PROTOCOL_VERSION;
    }

    @Test
    void aClosedConnectionIsAnnouncedOnceByItsAddressAndNothingIsAnnouncedWhenTheTransportShutsDown() throws Exception {
        node = Node.start();
        List<String> heard = new CopyOnWriteArrayList<>();
        node.onTransportClosed((address, reason) -> heard.add(address + ": " + reason));
        TcpTransport tcp = TcpTransport.create(node.context(), TcpTransportOptions.defaults());
        try (ServerSocket peer = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Address peerAddress = Address.tcp("127.0.0.1:" + peer.getLocalPort());
            Route route = Route.of(peerAddress, Address.of("x"));
            node.context().send(route, "hello");
            peer.accept().close();
            // The announcement follows the connection's removal on the reader's thread: wait for both, not the first.
            await(() -> tcp.connectionCount() == 0 && !heard.isEmpty(), "the connection the peer closed is forgotten and announced");
            assertThat(heard).containsExactly(peerAddress + ": connection to 127.0.0.1:" + peer.getLocalPort() + " closed");

            node.context().send(route, "again");
            try (Socket second = peer.accept()) {
                await(() -> tcp.connectionCount() == 1, "connected again");
                tcp.close();
                await(() -> tcp.connectionCount() == 0, "the transport closed its connection");
            }
            assertThat(heard).as("a transport shutting down announces nothing").hasSize(1);
        }
    }

    @Test
    void closingOneOfTwoConnectionsFromAHostGivesBackExactlyOneOfItsPlaces() throws Exception {
        node = Node.start();
        TcpTransport tcp = TcpTransport.create(node.context(), TcpTransportOptions.defaults().withMaxConnections(100, 2));
        int port = tcp.listen("127.0.0.1:0").getPort();
        try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
            assertThat(admitted(a)).isTrue();
            assertThat(admitted(b)).isTrue();
            await(() -> tcp.connectionCount() == 2, "both connections are open");
            a.close();
            await(() -> tcp.connectionCount() == 1, "the closed one is forgotten");
            try (Socket c = new Socket("127.0.0.1", port); Socket d = new Socket("127.0.0.1", port)) {
                assertThat(admitted(c)).as("the place the closed one gave back").isTrue();
                assertThat(admitted(d)).as("the host holds two places again").isFalse();
            }
        }
    }

    @Test
    void aClosedTransportStopsListeningClosesItsConnectionsAndRefusesToDial() throws Exception {
        node = Node.start();
        TcpTransport tcp = TcpTransport.create(node.context(), 4096);
        assertThat(tcp.maxFrameSize()).isEqualTo(4096);
        int port = tcp.listen("127.0.0.1:0").getPort();
        try (Socket open = new Socket("127.0.0.1", port)) {
            assertThat(admitted(open)).isTrue();
            await(() -> tcp.connectionCount() == 1, "connected");

            tcp.close();

            assertThat(open.getInputStream().read()).as("hung up on").isEqualTo(-1);
            assertThat(tcp.connectionCount()).isZero();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertHopsealError(ErrorKind.SHUTDOWN, () -> node.context().send(Route.of(Address.tcp("127.0.0.1:" + port), Address.of("x")), "late"))
                .isInstanceOf(RoutingException.class).hasMessageContaining("the TCP transport is closed");
    }
}
