package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A key for one AEAD algorithm.
 *
 * @param id the id the issuing vault gave the key; meaningful to that vault only
 * @param algorithm the algorithm the key is for
 * @since 0.1
 */
public record AeadKeyHandle(String id, AeadAlgorithm algorithm) implements KeyHandle {
    /**
     * Checks that both components are present.
     *
     * @throws NullPointerException if {@code id} or {@code algorithm} is {@code null}
     */
    public AeadKeyHandle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}
