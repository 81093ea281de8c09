package org.hopseal.api.vault;

import java.util.Objects;

/**
 * What encapsulating to a KEM public key gives: the ciphertext to send, and the shared secret, which stays in the
 * vault.
 *
 * @since 0.2
 */
public record Encapsulation(byte[] ciphertext, SecretHandle sharedSecret) {
    public Encapsulation {
        ciphertext = ciphertext.clone();
        Objects.requireNonNull(sharedSecret, "sharedSecret");
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }
}
