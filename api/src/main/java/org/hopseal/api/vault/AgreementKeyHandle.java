package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A key-agreement private key ({@link KeyType#X25519} or {@link KeyType#P256_ECDH}).
 *
 * @param id the id the issuing vault gave the key; meaningful to that vault only
 * @param type the key's type
 * @since 0.1
 */
public record AgreementKeyHandle(String id, KeyType type) implements KeyHandle {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code id} is {@code null}
     * @throws IllegalArgumentException if {@code type} is not a key agreement type
     */
    public AgreementKeyHandle {
        Objects.requireNonNull(id, "id");
        if (type != KeyType.X25519 && type != KeyType.P256_ECDH) {
            throw new IllegalArgumentException(type + " is not a key agreement type");
        }
    }
}
