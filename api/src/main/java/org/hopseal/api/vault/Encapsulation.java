package org.hopseal.api.vault;

import java.util.Objects;

/**
 * What encapsulating to a KEM public key gives: the ciphertext to send, and the shared secret, which stays in the
 * vault.
 *
 * @param ciphertext the KEM ciphertext ({@code c}) to send to the key's owner, {@link KemAlgorithm#ciphertextLength()}
 *     bytes; copied
 * @param sharedSecret the shared secret ({@code K}), held by the vault that encapsulated
 * @since 0.2
 */
public record Encapsulation(byte[] ciphertext, SecretHandle sharedSecret) {
    /**
     * Copies {@code ciphertext}.
     *
     * @throws NullPointerException if a component is {@code null}
     */
    public Encapsulation {
        ciphertext = ciphertext.clone();
        Objects.requireNonNull(sharedSecret, "sharedSecret");
    }

    /** {@return a copy of the ciphertext} */
    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }
}
