package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A secret byte string of known length: a Diffie-Hellman output, an HKDF output, a Noise chaining key.
 *
 * @since 0.1
 */
public record SecretHandle(String id, int length) implements KeyHandle {
    public SecretHandle {
        Objects.requireNonNull(id, "id");
        if (length < 0) {
            throw new IllegalArgumentException("negative length");
        }
    }
}
