package org.hopseal.it.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.it.boundary.Boundary.START;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.it.ChildJvm;
import org.hopseal.it.boundary.Boundary.NodeProcess;
import org.hopseal.testing.Await;
import org.hopseal.testing.RawClient;
import org.hopseal.testing.Wire;
import org.hopseal.testing.Wire.Addr;
import org.hopseal.testing.Wire.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, attack 1 (plaintext injection past the channel), and what a raw TCP client can reach at all: only the
 * channel listener; the Echoer of {@code hopseal node} answers only through a trusted channel.
 */
class PlaintextInjectionIT {
    /** An identifier no client has: the node trusts nobody who could connect here. */
    private static final String NOBODY = "I" + "0".repeat(64);

    private static NodeProcess trustingNobody;
    private static NodeProcess plain;

    @BeforeAll
    static void startNodes() throws Exception {
        List<NodeProcess> nodes = Boundary.hopsealNodes(List.of(List.of("--trust", NOBODY), List.of()));
        trustingNobody = nodes.get(0);
        plain = nodes.get(1);
    }

    @AfterAll
    static void stopNodes() {
        for (NodeProcess n : new NodeProcess[] {trustingNobody, plain}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @Test
    void theRawClientSpeaksTheDocumentedWireFormat() {
        // README's worked example, byte for byte; and Hopseal's own encoder agrees with the test's.
        byte[] mine = Wire.message(List.of(Addr.local("echoer")), List.of(Addr.local("app")), Wire.string("Hello Ockam!"));
        assertThat(HexFormat.of().formatHex(mine)).isEqualTo("01" + "01" + "0006" + hex("echoer") + "01" + "0003" + hex("app")
                + "0d" + "0c" + hex("Hello Ockam!"));
        byte[] theirs = new TransportMessage(Route.of(Address.of("echoer")), Route.of(Address.of("app")),
                Wire.string("Hello Ockam!")).encode();
        assertThat(mine).isEqualTo(theirs);
    }

    @Test
    void aRawClientGetsNoEchoFromTheEchoerOfATrustingNode() throws Exception {
        try (RawClient raw = RawClient.connect(trustingNobody.port())) {
            raw.sendText("echoer", "Hello Ockam!");
            // Also with a return route that names the channel listener, as a forger might.
            raw.send(List.of(Addr.local("echoer")), List.of(Addr.local("secure")), Wire.string("Hello again"));
            List<Frame> got = raw.receiveAll(Duration.ofMillis(1500));
            assertThat(got).as("no echo, only error replies").allSatisfy(f -> {
                assertThat(f.isRoutingError()).as(f.toString()).isTrue();
                assertThat(f.textOrNull()).isNotIn("Hello Ockam!", "Hello again");
            });
            // The design promises an error reply for what cannot be routed, so a pending operation fails at once.
            assertThat(got).as("an error reply for the message to 'echoer'").isNotEmpty();
            assertThat(got.get(0).errorText()).contains("echoer");
        }
    }

    @Test
    void aRawClientReachesNothingButTheChannelListener() throws Exception {
        try (RawClient raw = RawClient.connect(plain.port())) {
            byte[] seed = new byte[8];
            new SecureRandom().nextBytes(seed);
            String random = "w" + HexFormat.of().formatHex(seed);
            List<String> names = List.of("echoer", "app", random);
            List<String> reasons = new ArrayList<>();
            for (String name : names) {
                raw.sendText(name, "probe");
                Frame f = raw.receive(Duration.ofSeconds(5));
                assertThat(f).as("an answer for " + name).isNotNull();
                assertThat(f.isRoutingError()).as(name + " answered " + f).isTrue();
                assertThat(f.textOrNull()).isNotEqualTo("probe");
                reasons.add(f.errorText().replace(name, "NAME"));
            }
            // Probing tells an outsider nothing: a running but unexposed worker looks exactly like no worker.
            assertThat(reasons).as("one answer for known and unknown addresses").containsOnly(reasons.get(0));
            assertThat(raw.receiveAll(Duration.ofMillis(500))).as("nothing else arrives").isEmpty();

            // The channel listener is exposed to everyone: a Noise XX message 1 (an ephemeral key, empty payload)
            // gets message 2, with the responder's identity, back.
            byte[] m1 = new byte[33];
            new SecureRandom().nextBytes(m1);
            m1[0] = 0; // channel frame type: handshake
            raw.send(List.of(Addr.local("secure")), List.of(), m1);
            Frame m2 = raw.receive(Duration.ofSeconds(10));
            assertThat(m2).as("the listener answers").isNotNull();
            assertThat(m2.isRoutingError()).as(m2.toString()).isFalse();
            assertThat(m2.payload()[0]).as("a handshake frame").isEqualTo((byte) 0);
            assertThat(m2.payload().length).as("e, encrypted s and identity").isGreaterThan(1 + 32 + 48);
        }
    }

    @Test
    void aMaliciousViaHopCannotForgeTheAuthenticatedReply() throws Exception {
        NodeProcess node = plain;
        try (EvilHop evil = new EvilHop(node.port(), Wire.string("FORGED by the middle hop"));
             ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--via", "127.0.0.1:" + evil.port(), "--to", node.hostPort(),
                     "--trust", node.identifier(), "Hello")) {
            int exit = send.waitFor(START);
            assertThat(evil.relayedToClient()).as("the hop relayed the real channel").isGreaterThanOrEqualTo(2);
            assertThat(evil.injected()).as("forgeries sent before the real reply").isGreaterThanOrEqualTo(3);
            assertThat(send.stdout()).as("stderr: " + send.stderr()).containsExactly("Hello");
            assertThat(exit).isZero();
            // The client refused every forgery and said so to the forged return route.
            assertThat(Await.holds(Duration.ofSeconds(3), () -> !evil.sinkFrames().isEmpty())).isTrue();
            assertThat(evil.sinkFrames()).allSatisfy(f -> assertThat(f.isRoutingError()).as(f.toString()).isTrue());
        }
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
