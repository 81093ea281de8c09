package org.hopseal.api.identity;

/**
 * Decides, after a peer has been authenticated, whether to open a channel with it. Any lambda over the verified
 * {@link PeerIdentity} is a policy; {@link TrustEveryonePolicy} and {@link TrustIdentifierPolicy} are the common ones.
 *
 * <p>Thread safety: implementations must be thread safe; one policy may decide for many handshakes at once.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface TrustPolicy {
    boolean check(PeerIdentity peer);

    /** Trusted when both this and {@code other} trust. */
    default TrustPolicy and(TrustPolicy other) {
        return peer -> check(peer) && other.check(peer);
    }

    /** Trusted when this or {@code other} trusts. */
    default TrustPolicy or(TrustPolicy other) {
        return peer -> check(peer) || other.check(peer);
    }
}
