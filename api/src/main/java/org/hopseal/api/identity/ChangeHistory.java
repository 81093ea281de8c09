package org.hopseal.api.identity;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.hopseal.api.vault.PublicKey;

/**
 * An identity's public, verifiable history: the identifier, the identity keys from the first to the one in force,
 * and the encoding that carries the signed changes (see {@code docs/identity-protocol.md}). Exported as a contact and
 * sent inside handshakes.
 *
 * @since 0.1
 */
public record ChangeHistory(Identifier identifier, List<PublicKey> keys, byte[] encoded) {
    public ChangeHistory {
        Objects.requireNonNull(identifier, "identifier");
        keys = List.copyOf(keys);
        encoded = encoded.clone();
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    /** The identity key now in force. */
    public PublicKey currentKey() {
        return keys.get(keys.size() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeHistory c && c.identifier.equals(identifier) && Arrays.equals(c.encoded, encoded);
    }

    @Override
    public int hashCode() {
        return identifier.hashCode();
    }

    @Override
    public String toString() {
        return "ChangeHistory{" + identifier + ", " + keys.size() + " key(s)}";
    }
}
