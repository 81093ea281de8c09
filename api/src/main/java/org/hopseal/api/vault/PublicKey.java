package org.hopseal.api.vault;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A public key: its type and its standard encoding (32 raw bytes for Ed25519 and X25519, a 65-byte uncompressed
 * point for P-256). A value: equal when type and bytes are equal.
 *
 * @param type the key's type
 * @param bytes the key's standard encoding; copied. Its form is not checked here: the operation that uses the key
 *     refuses a malformed one
 * @since 0.1
 */
public record PublicKey(KeyType type, byte[] bytes) {
    /**
     * Copies {@code bytes}.
     *
     * @throws NullPointerException if a component is {@code null}
     */
    public PublicKey {
        Objects.requireNonNull(type, "type");
        bytes = bytes.clone();
    }

    /** {@return a copy of the key's encoding} */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey p && p.type == type && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return type + ":" + HexFormat.of().formatHex(bytes);
    }
}
