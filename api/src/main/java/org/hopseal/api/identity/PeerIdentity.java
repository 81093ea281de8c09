package org.hopseal.api.identity;

import java.util.Objects;
import org.hopseal.api.vault.PublicKey;

/**
 * A peer as verified during a secure-channel handshake: its identifier (whose whole change history was replayed and
 * checked) and the identity key now in force.
 *
 * @since 0.1
 */
public record PeerIdentity(Identifier identifier, PublicKey identityKey) {
    public PeerIdentity {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(identityKey, "identityKey");
    }
}
