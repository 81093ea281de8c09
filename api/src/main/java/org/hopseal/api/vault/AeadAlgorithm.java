package org.hopseal.api.vault;

/**
 * Authenticated encryption with 12-byte nonces and 16-byte tags.
 *
 * @since 0.1
 */
public enum AeadAlgorithm {
    /** AES-GCM (NIST SP 800-38D) with a 16-byte key. */
    AES_128_GCM(16),
    /** AES-GCM (NIST SP 800-38D) with a 24-byte key. */
    AES_192_GCM(24),
    /** AES-GCM (NIST SP 800-38D) with a 32-byte key: Noise's {@code AESGCM}, which Hopseal's channels use. */
    AES_256_GCM(32),
    /** ChaCha20-Poly1305 (RFC 8439) with a 32-byte key: Noise's {@code ChaChaPoly}. */
    CHACHA20_POLY1305(32);

    /** Tag length in bytes. */
    public static final int TAG_LENGTH = 16;
    /** Nonce length in bytes. */
    public static final int NONCE_LENGTH = 12;

    private final int keyLength;

    AeadAlgorithm(int keyLength) {
        this.keyLength = keyLength;
    }

    /** {@return the key length in bytes} */
    public int keyLength() {
        return keyLength;
    }
}
