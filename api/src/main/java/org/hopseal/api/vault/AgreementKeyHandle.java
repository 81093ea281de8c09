package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A key-agreement private key ({@link KeyType#X25519} or {@link KeyType#P256_ECDH}).
 *
 * @since 0.1
 */
public record AgreementKeyHandle(String id, KeyType type) implements KeyHandle {
    public AgreementKeyHandle {
        Objects.requireNonNull(id, "id");
        if (type != KeyType.X25519 && type != KeyType.P256_ECDH) {
            throw new IllegalArgumentException(type + " is not a key agreement type");
        }
    }
}
