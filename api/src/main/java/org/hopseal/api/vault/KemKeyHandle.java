package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A KEM decapsulation key: always ephemeral, made for one handshake and deleted after it.
 *
 * @param id the id the issuing vault gave the key; meaningful to that vault only
 * @param algorithm the mechanism the key is for
 * @since 0.2
 */
public record KemKeyHandle(String id, KemAlgorithm algorithm) implements KeyHandle {
    /**
     * Checks that both components are present.
     *
     * @throws NullPointerException if {@code id} or {@code algorithm} is {@code null}
     */
    public KemKeyHandle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}
