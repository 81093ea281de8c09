package org.hopseal.api.vault;

/**
 * A key encapsulation mechanism, with the sizes of its encodings (FIPS 203, table 3).
 *
 * @since 0.2
 */
public enum KemAlgorithm {
    /** ML-KEM-768 (FIPS 203): NIST security category 3. */
    ML_KEM_768(1184, 1088, 32, 64);

    private final int publicKeyLength;
    private final int ciphertextLength;
    private final int sharedSecretLength;
    private final int seedLength;

    KemAlgorithm(int publicKeyLength, int ciphertextLength, int sharedSecretLength, int seedLength) {
        this.publicKeyLength = publicKeyLength;
        this.ciphertextLength = ciphertextLength;
        this.sharedSecretLength = sharedSecretLength;
        this.seedLength = seedLength;
    }

    /** {@return the length of an encapsulation key ({@code ek}) in bytes} */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** {@return the length of a ciphertext ({@code c}) in bytes} */
    public int ciphertextLength() {
        return ciphertextLength;
    }

    /** {@return the length of the shared secret ({@code K}) in bytes} */
    public int sharedSecretLength() {
        return sharedSecretLength;
    }

    /** {@return the length in bytes of the seed a key pair is derived from ({@code d || z})} */
    public int seedLength() {
        return seedLength;
    }
}
