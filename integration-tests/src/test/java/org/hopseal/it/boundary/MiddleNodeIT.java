package org.hopseal.it.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.it.boundary.Boundary.START;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.hopseal.it.ChildJvm;
import org.hopseal.it.boundary.Boundary.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The middle-node walkthrough: with {@code --forward} a middle node relays a channel to the node behind it; without,
 * it refuses, and the sender learns so from an error reply within about a second instead of a handshake timeout
 * (10 s); an unreachable next hop is reported the same way, with the middle node's reason.
 */
class MiddleNodeIT {
    /** The in-process handshakes wait this long before timing out, so that a refusal within {@link #FAST} is one. */
    private static final Duration PATIENT = Duration.ofSeconds(60);
    /** Well under {@link #PATIENT}, however loaded the machine: the refusal came as an error reply, not a timeout. */
    private static final Duration FAST = Duration.ofSeconds(20);

    private static NodeProcess target;
    private static NodeProcess forwarding;
    private static NodeProcess plain;

    @BeforeAll
    static void startNodes() throws Exception {
        List<NodeProcess> nodes = Boundary.hopsealNodes(List.of(List.of(), List.of("--forward"), List.of()));
        target = nodes.get(0);
        forwarding = nodes.get(1);
        plain = nodes.get(2);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (NodeProcess n : new NodeProcess[] {target, forwarding, plain}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @Test
    void withForwardTheWalkthroughWorks() throws Exception {
        try (ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--via", forwarding.hostPort(), "--to", target.hostPort(),
                "--trust", target.identifier(), "Hello")) {
            assertThat(send.waitFor(START)).as("stderr: " + send.stderr()).isZero();
            assertThat(send.stdout()).containsExactly("Hello");
        }
    }

    @Test
    void withoutForwardTheSenderFailsFastSayingSo() throws Exception {
        long start = System.nanoTime();
        try (ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--via", plain.hostPort(), "--to", target.hostPort(),
                "--trust", target.identifier(), "Hello")) {
            int exit = send.waitFor(START);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(exit).isNotZero();
            assertThat(send.stdout()).isEmpty();
            assertThat(String.join("\n", send.stderr())).contains("forward");
            // The middle node's reason in the error shows the send failed on it, not on a timeout.
            Boundary.report("send via a non-forwarding node: process took %d ms: %s", took.toMillis(), send.stderr());
        }
        // Measured without a JVM start: the handshake fails in about a second.
        try (Node node = Node.start()) {
            var ctx = node.context();
            TcpTransport.create(ctx);
            Entity alice = Entity.create(ctx);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> alice.createSecureChannel(
                    Route.of(Address.tcp(plain.hostPort()), Address.tcp(target.hostPort()), Address.of("secure")),
                    SecureChannelOptions.defaults().withTrustPolicy(new TrustIdentifierPolicy(new Identifier(target.identifier())))
                            .withHandshakeTimeout(PATIENT)))
                    .isInstanceOf(HopsealException.class).hasMessageContaining("forward");
            Boundary.report("in-process channel via a non-forwarding node failed in %d ms", (System.nanoTime() - t0) / 1_000_000);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FAST);
        }
    }

    @Test
    void anUnreachableNextHopFailsFastWithTheMiddleNodesReason() throws Exception {
        int dead = Boundary.deadPort();
        long start = System.nanoTime();
        try (ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--via", forwarding.hostPort(), "--to", "127.0.0.1:" + dead,
                "--trust", target.identifier(), "Hello")) {
            int exit = send.waitFor(START);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(exit).isNotZero();
            assertThat(send.stdout()).isEmpty();
            assertThat(String.join("\n", send.stderr())).contains("127.0.0.1:" + dead).contains(forwarding.hostPort());
            // The middle node's reason (the dead port) in the error shows it failed on that reason, not on a timeout.
            Boundary.report("send via a forwarding node to a dead port: process took %d ms: %s", took.toMillis(), send.stderr());
        }
        try (Node node = Node.start()) {
            var ctx = node.context();
            TcpTransport.create(ctx);
            Entity alice = Entity.create(ctx);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> alice.createSecureChannel(
                    Route.of(Address.tcp(forwarding.hostPort()), Address.tcp("127.0.0.1:" + dead), Address.of("secure")),
                    SecureChannelOptions.defaults().withHandshakeTimeout(PATIENT)))
                    .isInstanceOf(HopsealException.class).hasMessageContaining("127.0.0.1:" + dead);
            Boundary.report("in-process channel via a forwarding node to a dead port failed in %d ms", (System.nanoTime() - t0) / 1_000_000);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FAST);
        }
    }
}
