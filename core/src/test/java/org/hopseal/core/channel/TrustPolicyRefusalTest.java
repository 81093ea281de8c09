package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each side's trust policy decides, after the peer was authenticated, whether the channel opens: a refusal on either
 * side, with either key agreement, leaves no channel and gives the initiator an error.
 */
class TrustPolicyRefusalTest {
    private TestNode testNode;
    private Node node;
    private Context ctx;
    private Entity alice;
    private Entity bob;
    /** The peers each side's policy was asked about. */
    private final List<Identifier> askedAtBob = new CopyOnWriteArrayList<>();
    private final List<Identifier> askedAtAlice = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        testNode = TestNode.start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
        alice = Entity.create(ctx);
        bob = Entity.create(ctx);
    }

    @AfterEach
    void stop() {
        testNode.close();
    }

    private static SecureChannelOptions options(KeyAgreement agreement, TrustPolicy policy) {
        return SecureChannelOptions.defaults().withKeyAgreements(agreement).withTrustPolicy(policy)
                .withHandshakeTimeout(Duration.ofSeconds(5));
    }

    private TrustPolicy recording(List<Identifier> asked, boolean answer) {
        return peer -> {
            asked.add(peer.identifier());
            return answer;
        };
    }

    @ParameterizedTest
    @EnumSource(KeyAgreement.class)
    void aResponderWhosePolicyRefusesTheInitiatorOpensNoChannel(KeyAgreement agreement) throws Exception {
        bob.createSecureChannelListener("bob", options(agreement, recording(askedAtBob, false)));
        assertHopsealError(ErrorKind.UNTRUSTED, () -> alice.createSecureChannel(Route.of("bob"), options(agreement, recording(askedAtAlice, true))))
                .hasMessageContaining("refused");
        assertThat(askedAtBob).as("the responder's policy decided about the initiator").containsExactly(alice.identifier());
        assertThat(askedAtAlice).containsExactly(bob.identifier());
        assertThat(SecureChannelRegistry.of(node).all()).as("no channel end opened").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KeyAgreement.class)
    void anInitiatorWhosePolicyRefusesTheResponderOpensNoChannel(KeyAgreement agreement) throws Exception {
        bob.createSecureChannelListener("bob", options(agreement, recording(askedAtBob, true)));
        assertHopsealError(ErrorKind.UNTRUSTED, () -> alice.createSecureChannel(Route.of("bob"), options(agreement, recording(askedAtAlice, false))))
                .hasMessageContaining("trust policy refused peer " + bob.identifier());
        assertThat(askedAtAlice).containsExactly(bob.identifier());
        assertThat(askedAtBob).as("the initiator never proved itself to the responder").isEmpty();
        assertThat(SecureChannelRegistry.of(node).all()).as("no channel end opened").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KeyAgreement.class)
    void whenBothPoliciesAcceptTheChannelOpensAndEachAskedAboutTheOther(KeyAgreement agreement) throws Exception {
        bob.createSecureChannelListener("bob", options(agreement, recording(askedAtBob, true)));
        Address channel = alice.createSecureChannel(Route.of("bob"), options(agreement, recording(askedAtAlice, true)));
        ctx.send(Route.of(channel, Address.of("echoer")), "accepted");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("accepted");
        assertThat(askedAtBob).containsExactly(alice.identifier());
        assertThat(askedAtAlice).containsExactly(bob.identifier());
    }
}
