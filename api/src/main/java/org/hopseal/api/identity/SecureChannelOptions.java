package org.hopseal.api.identity;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How to open (or accept) secure channels: whom to trust, which key agreements, and how long a handshake may take.
 *
 * @param trustPolicy whom to accept once authenticated
 * @param keyAgreements for a listener: every one listed is accepted; for a channel: Noise XX when listed, else X3DH
 * @param handshakeTimeout how long a handshake may take before it is aborted
 * @since 0.1
 */
public record SecureChannelOptions(TrustPolicy trustPolicy, Set<KeyAgreement> keyAgreements, Duration handshakeTimeout) {
    /** Ten seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public SecureChannelOptions {
        Objects.requireNonNull(trustPolicy, "trustPolicy");
        keyAgreements = Set.copyOf(keyAgreements.isEmpty() ? EnumSet.of(KeyAgreement.NOISE_XX) : EnumSet.copyOf(keyAgreements));
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }

    /** Trust everyone, Noise XX, the default timeout. */
    public static SecureChannelOptions defaults() {
        return new SecureChannelOptions(new TrustEveryonePolicy(), EnumSet.of(KeyAgreement.NOISE_XX), DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public SecureChannelOptions withTrustPolicy(TrustPolicy policy) {
        return new SecureChannelOptions(policy, keyAgreements, handshakeTimeout);
    }

    public SecureChannelOptions withKeyAgreements(KeyAgreement first, KeyAgreement... more) {
        return new SecureChannelOptions(trustPolicy, EnumSet.of(first, more), handshakeTimeout);
    }

    public SecureChannelOptions withHandshakeTimeout(Duration timeout) {
        return new SecureChannelOptions(trustPolicy, keyAgreements, timeout);
    }
}
