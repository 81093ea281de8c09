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
    /**
     * Decides on one authenticated peer, once its identity history, its possession of the channel key and the
     * credentials it presented from trusted authorities have been verified. It runs inside the handshake, so it
     * should decide quickly.
     *
     * @param peer the verified peer, with the attributes trusted authorities vouched for
     * @return whether to open the channel; if not, the handshake fails on both sides
     */
    boolean check(PeerIdentity peer);

    /**
     * Trusted when both this and {@code other} trust; {@code other} is not asked when this refuses.
     *
     * @param other the second policy
     * @return the combined policy
     */
    default TrustPolicy and(TrustPolicy other) {
        return peer -> check(peer) && other.check(peer);
    }

    /**
     * Trusted when this or {@code other} trusts; {@code other} is not asked when this trusts.
     *
     * @param other the second policy
     * @return the combined policy
     */
    default TrustPolicy or(TrustPolicy other) {
        return peer -> check(peer) || other.check(peer);
    }
}
