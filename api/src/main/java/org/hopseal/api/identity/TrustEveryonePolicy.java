package org.hopseal.api.identity;

/**
 * Accepts any authenticated peer. The peer still proves its identity and its possession of the channel key; this
 * policy only accepts whichever identity that is. It is the default when no policy is given.
 *
 * @since 0.1
 */
public final class TrustEveryonePolicy implements TrustPolicy {
    /** The policy; all instances behave alike. */
    public TrustEveryonePolicy() {
    }

    @Override
    public boolean check(PeerIdentity peer) {
        return true;
    }

    @Override
    public String toString() {
        return "TrustEveryonePolicy";
    }
}
