package org.hopseal.api.vault;

/**
 * Authenticated encryption with 12-byte nonces and 16-byte tags.
 *
 * @since 0.1
 */
public enum AeadAlgorithm {
    AES_128_GCM(16),
    AES_192_GCM(24),
    AES_256_GCM(32),
    CHACHA20_POLY1305(32);

    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 16;
    /** Nonce length in bytes. */
    public static final int NONCE_LENGTH = 12;

    private final int keyLength;

    AeadAlgorithm(int keyLength) {
        this.keyLength = keyLength;
    }

    /** Key length in bytes. */
    public int keyLength() {
        return keyLength;
    }
}
