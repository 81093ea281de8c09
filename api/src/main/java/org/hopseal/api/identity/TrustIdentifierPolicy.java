package org.hopseal.api.identity;

import java.util.Objects;

/**
 * Accepts only the peer with one given identifier.
 *
 * @param identifier the one peer to accept
 * @since 0.1
 */
public record TrustIdentifierPolicy(Identifier identifier) implements TrustPolicy {
    /**
     * Checks that {@code identifier} is present.
     *
     * @throws NullPointerException if {@code identifier} is {@code null}
     */
    public TrustIdentifierPolicy {
        Objects.requireNonNull(identifier, "identifier");
    }

    @Override
    public boolean check(PeerIdentity peer) {
        return identifier.equals(peer.identifier());
    }
}
