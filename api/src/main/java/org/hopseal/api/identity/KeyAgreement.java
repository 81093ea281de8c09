package org.hopseal.api.identity;

/**
 * How a secure channel agrees on its keys.
 *
 * @since 0.1
 */
public enum KeyAgreement {
    /** {@code Noise_XX_25519_AESGCM_SHA256} with identities inside the handshake (the default). */
    NOISE_XX,
    /** Signal's X3DH with a prekey bundle published by the listener. */
    X3DH
}
