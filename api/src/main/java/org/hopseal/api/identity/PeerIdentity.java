package org.hopseal.api.identity;

import java.util.Map;
import java.util.Objects;
import org.hopseal.api.vault.PublicKey;

/**
 * A peer as verified during a secure-channel handshake: its identifier (whose whole change history was replayed and
 * checked), the identity key now in force, and the attributes that authorities the verifier trusts vouched for in
 * credentials the peer presented (empty when it presented none, or none from a trusted authority).
 *
 * @param identifier who the peer is
 * @param identityKey the peer's identity key in force, the last of its verified history
 * @param attributes attribute names to values, each vouched for by a trusted authority's credential that was valid
 *     when the peer was verified (see {@code docs/credentials.md})
 * @since 0.1
 */
public record PeerIdentity(Identifier identifier, PublicKey identityKey, Map<String, String> attributes) {
    /**
     * Checks the components and copies {@code attributes}.
     *
     * @throws NullPointerException if a component, or a name or value of {@code attributes}, is {@code null}
     */
    public PeerIdentity {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(identityKey, "identityKey");
        attributes = Map.copyOf(attributes);
    }

    /**
     * A peer without attributes.
     *
     * @param identifier who the peer is
     * @param identityKey the peer's identity key in force
     */
    public PeerIdentity(Identifier identifier, PublicKey identityKey) {
        this(identifier, identityKey, Map.of());
    }

    /**
     * This peer with {@code newAttributes} instead of its attributes.
     *
     * @param newAttributes attribute names to values; copied
     * @return a new peer identity; this one is unchanged
     */
    public PeerIdentity withAttributes(Map<String, String> newAttributes) {
        return new PeerIdentity(identifier, identityKey, newAttributes);
    }
}
