package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A KEM decapsulation key: always ephemeral, made for one handshake and deleted after it.
 *
 * @since 0.2
 */
public record KemKeyHandle(String id, KemAlgorithm algorithm) implements KeyHandle {
    public KemKeyHandle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}
