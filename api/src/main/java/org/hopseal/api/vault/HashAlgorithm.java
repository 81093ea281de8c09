package org.hopseal.api.vault;

/**
 * Hash functions, with the names and sizes that the Noise specification uses.
 *
 * @since 0.1
 */
public enum HashAlgorithm {
    /** SHA-256 (FIPS 180-4): 32-byte output, 64-byte blocks. */
    SHA256("SHA256", 32, 64),
    /** SHA-512 (FIPS 180-4): 64-byte output, 128-byte blocks. */
    SHA512("SHA512", 64, 128),
    /** BLAKE2s-256 (RFC 7693): 32-byte output, 64-byte blocks. */
    BLAKE2S("BLAKE2s", 32, 64),
    /** BLAKE2b-512 (RFC 7693): 64-byte output, 128-byte blocks. */
    BLAKE2B("BLAKE2b", 64, 128);

    private final String noiseName;
    private final int hashLength;
    private final int blockLength;

    HashAlgorithm(String noiseName, int hashLength, int blockLength) {
        this.noiseName = noiseName;
        this.hashLength = hashLength;
        this.blockLength = blockLength;
    }

    /** {@return the name in a Noise protocol name, e.g. {@code BLAKE2s}} */
    public String noiseName() {
        return noiseName;
    }

    /** {@return the output length in bytes (Noise's HASHLEN)} */
    public int hashLength() {
        return hashLength;
    }

    /** {@return the block length in bytes (Noise's BLOCKLEN)} */
    public int blockLength() {
        return blockLength;
    }
}
