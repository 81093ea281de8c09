package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A secret byte string of known length: a Diffie-Hellman output, an HKDF output, a Noise chaining key.
 *
 * @param id the id the issuing vault gave the secret; meaningful to that vault only
 * @param length the secret's length in bytes
 * @since 0.1
 */
public record SecretHandle(String id, int length) implements KeyHandle {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code id} is {@code null}
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public SecretHandle {
        Objects.requireNonNull(id, "id");
        if (length < 0) {
            throw new IllegalArgumentException("negative length");
        }
    }
}
