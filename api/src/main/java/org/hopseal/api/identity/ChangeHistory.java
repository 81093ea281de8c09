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
 * <p>Two histories are equal when their identifiers and encodings are.
 *
 * @param identifier who the history is of; it never changes
 * @param keys the identity keys in the order they came into force; the last one is in force now. Copied
 * @param encoded the signed changes, as {@link Entity#importContact} and {@link Entity#verifyPeer} read them; copied
 * @since 0.1
 */
public record ChangeHistory(Identifier identifier, List<PublicKey> keys, byte[] encoded) {
    /**
     * Copies {@code keys} and {@code encoded}. Nothing is verified here: the runtime verifies an encoding before it
     * makes a history of it.
     *
     * @throws NullPointerException if a component, or one of the keys, is {@code null}
     */
    public ChangeHistory {
        Objects.requireNonNull(identifier, "identifier");
        keys = List.copyOf(keys);
        encoded = encoded.clone();
    }

    /** {@return a copy of the encoded, signed changes} */
    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    /**
     * {@return the identity key now in force: the last of {@link #keys()}}
     *
     * @throws IndexOutOfBoundsException if the history has no keys (one the runtime verified always has)
     */
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
