package org.hopseal.api.identity;

import java.util.Objects;

/**
 * Accepts only the peer with one given identifier.
 *
 * @since 0.1
 */
public record TrustIdentifierPolicy(Identifier identifier) implements TrustPolicy {
    public TrustIdentifierPolicy {
        Objects.requireNonNull(identifier, "identifier");
    }

    @Override
    public boolean check(PeerIdentity peer) {
        return identifier.equals(peer.identifier());
    }
}
