package org.hopseal.api.vault;

/**
 * Hash functions, with the names and sizes that the Noise specification uses.
 *
 * @since 0.1
 */
public enum HashAlgorithm {
    SHA256("SHA256", 32, 64),
    SHA512("SHA512", 64, 128),
    BLAKE2S("BLAKE2s", 32, 64),
    BLAKE2B("BLAKE2b", 64, 128);

    private final String noiseName;
    private final int hashLength;
    private final int blockLength;

    HashAlgorithm(String noiseName, int hashLength, int blockLength) {
        this.noiseName = noiseName;
        this.hashLength = hashLength;
        this.blockLength = blockLength;
    }

    /** The name in a Noise protocol name, e.g. {@code BLAKE2s}. */
    public String noiseName() {
        return noiseName;
    }

    /** Output length in bytes (Noise's HASHLEN). */
    public int hashLength() {
        return hashLength;
    }

    /** Block length in bytes (Noise's BLOCKLEN). */
    public int blockLength() {
        return blockLength;
    }
}
