package org.hopseal.api.identity;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.hopseal.api.credential.CredentialSource;

/**
 * How to open (or accept) secure channels: whom to trust, which key agreements, how long a handshake may take, and
 * how long an open channel may go without hearing from its peer.
 *
 * @param trustPolicy whom to accept once authenticated
 * @param keyAgreements for a listener: every one listed is accepted; for a channel: Noise XX when listed, else X3DH
 * @param handshakeTimeout how long a handshake may take before it is aborted
 * @param idleTimeout how long an open channel end may hear nothing from its peer before it closes itself;
 *     {@link Duration#ZERO} (the default) never, else at least {@link #MIN_IDLE_TIMEOUT}. When set, an end that has
 *     heard nothing for a third of it asks the peer for a sign of life (an encrypted ping, which every Hopseal channel
 *     end answers), so a live but quiet channel stays open and a channel whose peer vanished without a word (its
 *     close frame lost, its node frozen) is closed
 * @param maxIdentityChanges the most changes a peer's identity history may have in a handshake
 *     ({@value #DEFAULT_MAX_IDENTITY_CHANGES} by default), which bounds what a hostile handshake costs in signature
 *     checks
 * @param authorities the authorities whose credentials this end accepts: a peer's credential from one of them is
 *     verified and its attributes attached to the peer ({@link PeerIdentity#attributes()}) before the trust policy
 *     decides; credentials from other authorities are ignored
 * @param credentials what this end presents to its peers (in the handshake, and again whenever it changes)
 * @param postQuantum whether Noise XX channels add ML-KEM-768 ({@link PostQuantum#PREFERRED} by default)
 * @since 0.1
 */
public record SecureChannelOptions(TrustPolicy trustPolicy, Set<KeyAgreement> keyAgreements, Duration handshakeTimeout,
        Duration idleTimeout, int maxIdentityChanges, Set<Identifier> authorities, CredentialSource credentials,
        PostQuantum postQuantum) {
    /** The default bound on a peer's identity history in a handshake. */
    public static final int DEFAULT_MAX_IDENTITY_CHANGES = 32;
    /** Ten seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The shortest idle timeout: a third of it is how often an end checks on its peer. */
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofMillis(30);

    /**
     * Checks the options and copies the sets; an empty {@code keyAgreements} means Noise XX.
     *
     * @throws NullPointerException if a component is {@code null}
     * @throws IllegalArgumentException if {@code idleTimeout} is negative or between zero and
     *     {@link #MIN_IDLE_TIMEOUT}, or {@code maxIdentityChanges} is less than 1
     */
    public SecureChannelOptions {
        Objects.requireNonNull(trustPolicy, "trustPolicy");
        keyAgreements = Set.copyOf(keyAgreements.isEmpty() ? EnumSet.of(KeyAgreement.NOISE_XX) : EnumSet.copyOf(keyAgreements));
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || (!idleTimeout.isZero() && idleTimeout.compareTo(MIN_IDLE_TIMEOUT) < 0)) {
            throw new IllegalArgumentException("idleTimeout must be zero (never) or at least " + MIN_IDLE_TIMEOUT.toMillis() + " ms: " + idleTimeout);
        }
        authorities = Set.copyOf(authorities);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(postQuantum, "postQuantum");
        if (maxIdentityChanges < 1) {
            throw new IllegalArgumentException("maxIdentityChanges must be at least 1: " + maxIdentityChanges);
        }
    }

    /**
     * Options that add ML-KEM-768 where both ends can ({@link PostQuantum#PREFERRED}).
     *
     * @param trustPolicy whom to accept once authenticated
     * @param keyAgreements the key agreements, as for the canonical constructor
     * @param handshakeTimeout how long a handshake may take
     * @param idleTimeout how long an open channel end may hear nothing from its peer; {@link Duration#ZERO} never
     * @param maxIdentityChanges the most changes a peer's identity history may have in a handshake
     * @param authorities the authorities whose credentials this end accepts
     * @param credentials what this end presents to its peers
     */
    public SecureChannelOptions(TrustPolicy trustPolicy, Set<KeyAgreement> keyAgreements, Duration handshakeTimeout,
            Duration idleTimeout, int maxIdentityChanges, Set<Identifier> authorities, CredentialSource credentials) {
        this(trustPolicy, keyAgreements, handshakeTimeout, idleTimeout, maxIdentityChanges, authorities, credentials,
                PostQuantum.PREFERRED);
    }

    /**
     * Options without authorities or credentials, adding ML-KEM-768 where both ends can.
     *
     * @param trustPolicy whom to accept once authenticated
     * @param keyAgreements the key agreements, as for the canonical constructor
     * @param handshakeTimeout how long a handshake may take
     * @param idleTimeout how long an open channel end may hear nothing from its peer; {@link Duration#ZERO} never
     * @param maxIdentityChanges the most changes a peer's identity history may have in a handshake
     */
    public SecureChannelOptions(TrustPolicy trustPolicy, Set<KeyAgreement> keyAgreements, Duration handshakeTimeout,
            Duration idleTimeout, int maxIdentityChanges) {
        this(trustPolicy, keyAgreements, handshakeTimeout, idleTimeout, maxIdentityChanges, Set.of(), CredentialSource.none());
    }

    /**
     * {@return the defaults: trust every authenticated peer, Noise XX, {@link #DEFAULT_HANDSHAKE_TIMEOUT}, no idle
     * timeout, {@value #DEFAULT_MAX_IDENTITY_CHANGES} identity changes, no authorities, no credentials,
     * {@link PostQuantum#PREFERRED}}
     */
    public static SecureChannelOptions defaults() {
        return new SecureChannelOptions(new TrustEveryonePolicy(), EnumSet.of(KeyAgreement.NOISE_XX), DEFAULT_HANDSHAKE_TIMEOUT,
                Duration.ZERO, DEFAULT_MAX_IDENTITY_CHANGES);
    }

    /**
     * These options with another trust policy.
     *
     * @param policy whom to accept once authenticated
     * @return new options; these are unchanged
     */
    public SecureChannelOptions withTrustPolicy(TrustPolicy policy) {
        return new SecureChannelOptions(policy, keyAgreements, handshakeTimeout, idleTimeout, maxIdentityChanges, authorities, credentials, postQuantum);
    }

    /**
     * These options with other key agreements: for a listener, all it accepts; for a channel, Noise XX when listed,
     * else X3DH.
     *
     * @param first a key agreement
     * @param more any further ones
     * @return new options; these are unchanged
     */
    public SecureChannelOptions withKeyAgreements(KeyAgreement first, KeyAgreement... more) {
        return new SecureChannelOptions(trustPolicy, EnumSet.of(first, more), handshakeTimeout, idleTimeout, maxIdentityChanges, authorities, credentials, postQuantum);
    }

    /**
     * These options with another handshake timeout.
     *
     * @param timeout how long a handshake may take before it is aborted
     * @return new options; these are unchanged
     */
    public SecureChannelOptions withHandshakeTimeout(Duration timeout) {
        return new SecureChannelOptions(trustPolicy, keyAgreements, timeout, idleTimeout, maxIdentityChanges, authorities, credentials, postQuantum);
    }

    /**
     * These options with an idle timeout; {@link Duration#ZERO} turns it off.
     *
     * @param timeout zero, or at least {@link #MIN_IDLE_TIMEOUT}
     * @return new options; these are unchanged
     * @throws IllegalArgumentException if {@code timeout} is negative or shorter than {@link #MIN_IDLE_TIMEOUT}
     */
    public SecureChannelOptions withIdleTimeout(Duration timeout) {
        return new SecureChannelOptions(trustPolicy, keyAgreements, handshakeTimeout, timeout, maxIdentityChanges, authorities, credentials, postQuantum);
    }

    /**
     * These options with another bound on a peer's identity history in a handshake.
     *
     * @param changes the most changes, at least 1
     * @return new options; these are unchanged
     * @throws IllegalArgumentException if {@code changes} is less than 1
     */
    public SecureChannelOptions withMaxIdentityChanges(int changes) {
        return new SecureChannelOptions(trustPolicy, keyAgreements, handshakeTimeout, idleTimeout, changes, authorities, credentials, postQuantum);
    }

    /**
     * These options accepting credentials from {@code trusted} (and no other authority).
     *
     * @param trusted the authorities' identifiers; copied
     * @return new options; these are unchanged
     */
    public SecureChannelOptions withAuthorities(Set<Identifier> trusted) {
        return new SecureChannelOptions(trustPolicy, keyAgreements, handshakeTimeout, idleTimeout, maxIdentityChanges, trusted, credentials, postQuantum);
    }

    /**
     * These options presenting what {@code source} holds.
     *
     * @param source the credentials to present; an open channel asks it again from time to time, so that renewed
     *     ones reach the peer
     * @return new options; these are unchanged
     */
    public SecureChannelOptions withCredentials(CredentialSource source) {
        return new SecureChannelOptions(trustPolicy, keyAgreements, handshakeTimeout, idleTimeout, maxIdentityChanges, authorities, source, postQuantum);
    }

    /**
     * These options with another post-quantum policy.
     *
     * @param policy whether Noise XX channels add ML-KEM-768
     * @return new options; these are unchanged
     */
    public SecureChannelOptions withPostQuantum(PostQuantum policy) {
        return new SecureChannelOptions(trustPolicy, keyAgreements, handshakeTimeout, idleTimeout, maxIdentityChanges, authorities, credentials,
                policy);
    }
}
