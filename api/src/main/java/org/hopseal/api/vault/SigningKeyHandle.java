package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A signing key ({@link KeyType#ED25519} or {@link KeyType#ECDSA_P256}).
 *
 * @since 0.1
 */
public record SigningKeyHandle(String id, KeyType type) implements KeyHandle {
    public SigningKeyHandle {
        Objects.requireNonNull(id, "id");
        if (!type.isSigning()) {
            throw new IllegalArgumentException(type + " is not a signing key type");
        }
    }
}
