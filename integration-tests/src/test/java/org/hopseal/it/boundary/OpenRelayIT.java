package org.hopseal.it.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.hopseal.it.boundary.Boundary.NodeProcess;
import org.hopseal.testing.RawClient;
import org.hopseal.testing.Wire;
import org.hopseal.testing.Wire.Addr;
import org.hopseal.testing.Wire.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, attack 2 (open relay / SSRF): an unauthenticated peer names {@code [1#host:port, x]} and the node
 * connects there and writes the attacker's bytes. Forwarding must be opt-in, and {@code --forward-to} must restrict
 * where it goes.
 */
class OpenRelayIT {
    private static final byte[] ATTACK = Wire.string("SET pwned 1\r\n");

    /** One victim per node, so that what one test lets through cannot show up in another. */
    private static ServerSocket victimOfPlain;
    private static ServerSocket victimOfForwardTo;
    private static ServerSocket allowed;
    private static ServerSocket victimOfForward;
    private static NodeProcess plain;
    private static NodeProcess forwardTo;
    private static NodeProcess forward;

    @BeforeAll
    static void startNodes() throws Exception {
        victimOfPlain = victim();
        victimOfForwardTo = victim();
        allowed = victim();
        victimOfForward = victim();
        List<NodeProcess> nodes = Boundary.hopsealNodes(List.of(List.of(),
                List.of("--forward-to", "127.0.0.1:" + allowed.getLocalPort()), List.of("--forward")));
        plain = nodes.get(0);
        forwardTo = nodes.get(1);
        forward = nodes.get(2);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (NodeProcess n : new NodeProcess[] {plain, forwardTo, forward}) {
            if (n != null) {
                n.close();
            }
        }
        for (ServerSocket s : new ServerSocket[] {victimOfPlain, victimOfForwardTo, allowed, victimOfForward}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void aNodeWithoutForwardingNeverConnectsWhereARawClientSays() throws Exception {
        assertRefused(plain, victimOfPlain);
    }

    @Test
    void aNodeForwardingToOtherDestinationsOnlyRefusesThisOne() throws Exception {
        assertRefused(forwardTo, victimOfForwardTo);
        // Nor does the allowed destination see anything of this.
        allowed.setSoTimeout(200);
        assertThat(acceptOrNull(allowed)).isNull();
    }

    @Test
    void aNodeWithForwardConnectsAndRelays() throws Exception {
        // The opt-in works: with --forward the same frame reaches the destination, with the node's return route.
        try (RawClient raw = RawClient.connect(forward.port())) {
            raw.send(List.of(Addr.tcp("127.0.0.1:" + victimOfForward.getLocalPort()), Addr.local("x")), List.of(), ATTACK);
            victimOfForward.setSoTimeout(10_000);
            try (Socket s = victimOfForward.accept()) {
                s.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertThat(in.read()).as("protocol version").isEqualTo(Wire.PROTOCOL_VERSION);
                Frame f = Wire.decode(Wire.readFrameBody(in, 1 << 20));
                assertThat(f.onward()).containsExactly(Addr.local("x"));
                assertThat(f.payload()).isEqualTo(ATTACK);
                assertThat(f.back()).containsExactly(Addr.tcp("127.0.0.1:" + raw.localPort()));
            }
        }
    }

    private static void assertRefused(NodeProcess node, ServerSocket victim) throws Exception {
        try (RawClient raw = RawClient.connect(node.port())) {
            raw.send(List.of(Addr.tcp("127.0.0.1:" + victim.getLocalPort()), Addr.local("x")), List.of(Addr.local("app")), ATTACK);
            // The node never connects to the victim...
            victim.setSoTimeout(1500);
            Socket s = acceptOrNull(victim);
            assertThat(s).as("the node connected to the victim").isNull();
            // ...and tells the client so, along its return route.
            Frame reply = raw.receive(Duration.ofSeconds(5));
            assertThat(reply).as("an error reply").isNotNull();
            assertThat(reply.isRoutingError()).as(reply.toString()).isTrue();
            assertThat(reply.errorText()).contains("forward");
            assertThat(reply.onward()).containsExactly(Addr.local("app"));
            // And it still serves its client.
            raw.sendText("nothing-here", "still there?");
            Frame again = raw.receive(Duration.ofSeconds(5));
            assertThat(again).isNotNull();
            assertThat(again.isRoutingError()).isTrue();
        }
    }

    private static ServerSocket victim() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s;
    }

    private static Socket acceptOrNull(ServerSocket server) throws IOException {
        try {
            return server.accept();
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
