package org.hopseal.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.junit.jupiter.api.Test;

/** Who a trust policy accepts, alone and combined. */
class TrustPolicyTest {
    private static final PeerIdentity ALICE = peer("a");
    private static final PeerIdentity BOB = peer("b");
    private static final TrustPolicy YES = p -> true;
    private static final TrustPolicy NO = p -> false;

    private static PeerIdentity peer(String hex) {
        return new PeerIdentity(new Identifier("I" + hex.repeat(64)), new PublicKey(KeyType.ED25519, new byte[32]));
    }

    @Test
    void anIdentifierPolicyAcceptsThatIdentifierOnly() {
        TrustPolicy onlyAlice = new TrustIdentifierPolicy(ALICE.identifier());

        assertThat(onlyAlice.check(ALICE)).isTrue();
        assertThat(onlyAlice.check(BOB)).isFalse();
        assertThat(onlyAlice.check(new PeerIdentity(ALICE.identifier(), new PublicKey(KeyType.ECDSA_P256, new byte[65]))))
                .as("whatever key Alice uses now").isTrue();
        assertThatThrownBy(() -> new TrustIdentifierPolicy(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void trustEveryoneAcceptsAnyAuthenticatedPeer() {
        TrustPolicy everyone = new TrustEveryonePolicy();

        assertThat(everyone.check(ALICE)).isTrue();
        assertThat(everyone.check(BOB)).isTrue();
        assertThat(everyone).hasToString("TrustEveryonePolicy");
    }

    @Test
    void andTrustsOnlyWhenBothTrust() {
        assertThat(YES.and(YES).check(ALICE)).isTrue();
        assertThat(YES.and(NO).check(ALICE)).isFalse();
        assertThat(NO.and(YES).check(ALICE)).isFalse();
        assertThat(NO.and(NO).check(ALICE)).isFalse();
    }

    @Test
    void orTrustsWhenEitherTrusts() {
        assertThat(YES.or(YES).check(ALICE)).isTrue();
        assertThat(YES.or(NO).check(ALICE)).isTrue();
        assertThat(NO.or(YES).check(ALICE)).isTrue();
        assertThat(NO.or(NO).check(ALICE)).isFalse();
    }

    @Test
    void combinedIdentifierPoliciesDecidePerPeer() {
        TrustPolicy alice = new TrustIdentifierPolicy(ALICE.identifier());
        TrustPolicy bob = new TrustIdentifierPolicy(BOB.identifier());

        assertThat(alice.or(bob).check(BOB)).isTrue();
        assertThat(alice.and(bob).check(ALICE)).isFalse();
        assertThat(alice.and(new TrustEveryonePolicy()).check(ALICE)).isTrue();
        assertThat(alice.and(new TrustEveryonePolicy()).check(BOB)).isFalse();
    }

    @Test
    void aPeerIdentityNeedsAnIdentifierAndAKey() {
        PublicKey key = new PublicKey(KeyType.ED25519, new byte[32]);
        assertThatThrownBy(() -> new PeerIdentity(null, key)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new PeerIdentity(ALICE.identifier(), null)).isInstanceOf(NullPointerException.class);
    }
}
