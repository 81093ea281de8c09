package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A key for one AEAD algorithm.
 *
 * @since 0.1
 */
public record AeadKeyHandle(String id, AeadAlgorithm algorithm) implements KeyHandle {
    public AeadKeyHandle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}
