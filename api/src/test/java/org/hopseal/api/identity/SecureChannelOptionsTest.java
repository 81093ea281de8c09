package org.hopseal.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Secure channel options: the defaults, the bounds each option must respect, and that each {@code with} changes one. */
class SecureChannelOptionsTest {
    private static final TrustPolicy NOBODY = p -> false;

    @Test
    void theDefaultsTrustEveryoneOverNoiseXxWithTenSecondsAndNoIdleTimeout() {
        SecureChannelOptions d = SecureChannelOptions.defaults();

        assertThat(d.trustPolicy()).isInstanceOf(TrustEveryonePolicy.class);
        assertThat(d.keyAgreements()).containsExactly(KeyAgreement.NOISE_XX);
        assertThat(d.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10)).isEqualTo(SecureChannelOptions.DEFAULT_HANDSHAKE_TIMEOUT);
        assertThat(d.idleTimeout()).isZero();
        assertThat(d.maxIdentityChanges()).isEqualTo(32).isEqualTo(SecureChannelOptions.DEFAULT_MAX_IDENTITY_CHANGES);
    }

    @Test
    void eachWithChangesItsOwnOptionAndKeepsTheOthers() {
        SecureChannelOptions base = SecureChannelOptions.defaults().withIdleTimeout(Duration.ofSeconds(7))
                .withHandshakeTimeout(Duration.ofSeconds(3)).withMaxIdentityChanges(5).withTrustPolicy(NOBODY)
                .withKeyAgreements(KeyAgreement.X3DH);

        assertThat(base.trustPolicy()).isSameAs(NOBODY);
        assertThat(base.keyAgreements()).containsExactly(KeyAgreement.X3DH);
        assertThat(base.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(base.idleTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(base.maxIdentityChanges()).isEqualTo(5);

        TrustPolicy other = p -> true;
        assertThat(base.withTrustPolicy(other)).isEqualTo(new SecureChannelOptions(other, Set.of(KeyAgreement.X3DH),
                Duration.ofSeconds(3), Duration.ofSeconds(7), 5));
        assertThat(base.withKeyAgreements(KeyAgreement.NOISE_XX, KeyAgreement.X3DH)).isEqualTo(new SecureChannelOptions(NOBODY,
                Set.of(KeyAgreement.NOISE_XX, KeyAgreement.X3DH), Duration.ofSeconds(3), Duration.ofSeconds(7), 5));
        assertThat(base.withHandshakeTimeout(Duration.ofSeconds(1))).isEqualTo(new SecureChannelOptions(NOBODY,
                Set.of(KeyAgreement.X3DH), Duration.ofSeconds(1), Duration.ofSeconds(7), 5));
        assertThat(base.withIdleTimeout(Duration.ZERO)).isEqualTo(new SecureChannelOptions(NOBODY, Set.of(KeyAgreement.X3DH),
                Duration.ofSeconds(3), Duration.ZERO, 5));
        assertThat(base.withMaxIdentityChanges(1)).isEqualTo(new SecureChannelOptions(NOBODY, Set.of(KeyAgreement.X3DH),
                Duration.ofSeconds(3), Duration.ofSeconds(7), 1));
    }

    @Test
    void noKeyAgreementMeansNoiseXxAndTheSetIsCopied() {
        Set<KeyAgreement> mutable = EnumSet.noneOf(KeyAgreement.class);
        SecureChannelOptions o = new SecureChannelOptions(NOBODY, mutable, Duration.ofSeconds(1), Duration.ZERO, 1);
        mutable.add(KeyAgreement.X3DH);

        assertThat(o.keyAgreements()).containsExactly(KeyAgreement.NOISE_XX);
        assertThatThrownBy(() -> o.keyAgreements().add(KeyAgreement.X3DH)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anIdleTimeoutIsZeroOrAtLeastThirtyMilliseconds() {
        SecureChannelOptions d = SecureChannelOptions.defaults();

        assertThat(d.withIdleTimeout(Duration.ZERO).idleTimeout()).isZero();
        assertThat(d.withIdleTimeout(Duration.ofMillis(30)).idleTimeout()).isEqualTo(SecureChannelOptions.MIN_IDLE_TIMEOUT);
        assertThatThrownBy(() -> d.withIdleTimeout(Duration.ofMillis(29))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 30 ms");
        assertThatThrownBy(() -> d.withIdleTimeout(Duration.ofNanos(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withIdleTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withIdleTimeout(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPeerMayHaveAtLeastOneIdentityChange() {
        SecureChannelOptions d = SecureChannelOptions.defaults();

        assertThat(d.withMaxIdentityChanges(1).maxIdentityChanges()).isEqualTo(1);
        assertThatThrownBy(() -> d.withMaxIdentityChanges(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1: 0");
        assertThatThrownBy(() -> d.withMaxIdentityChanges(-5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nothingIsOptional() {
        SecureChannelOptions d = SecureChannelOptions.defaults();

        assertThatThrownBy(() -> d.withTrustPolicy(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> d.withHandshakeTimeout(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> d.withIdleTimeout(null)).isInstanceOf(NullPointerException.class);
    }
}
