package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A signing key ({@link KeyType#ED25519} or {@link KeyType#ECDSA_P256}).
 *
 * @param id the id the issuing vault gave the key; meaningful to that vault only
 * @param type the key's type
 * @since 0.1
 */
public record SigningKeyHandle(String id, KeyType type) implements KeyHandle {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code id} or {@code type} is {@code null}
     * @throws IllegalArgumentException if {@code type} is not a signing type
     */
    public SigningKeyHandle {
        Objects.requireNonNull(id, "id");
        if (!type.isSigning()) {
            throw new IllegalArgumentException(type + " is not a signing key type");
        }
    }
}
