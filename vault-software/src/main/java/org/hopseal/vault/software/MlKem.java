package org.hopseal.vault.software;

import javax.security.auth.DestroyFailedException;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KemAlgorithm;

/**
 * ML-KEM-768 (FIPS 203) through BouncyCastle's lightweight API, on raw encodings. A private key is its 64-byte seed
 * {@code d || z}, expanded again ({@code ML-KEM.KeyGen_internal}) for each decapsulation, so that the vault keeps one
 * 64-byte secret per key. BouncyCastle's copies of the expanded key are destroyed after each call; its intermediate
 * values (the matrix, the noise polynomials) are left to the garbage collector.
 */
final class MlKem {
    static final KemAlgorithm ALGORITHM = KemAlgorithm.ML_KEM_768;
    private static final MLKEMParameters PARAMETERS = MLKEMParameters.ml_kem_768;
    /** The length of {@code m}, the randomness of one encapsulation. */
    static final int RANDOMNESS_LENGTH = 32;

    private MlKem() {
    }

    /** A ciphertext and the shared secret it carries (which the caller wipes). */
    record Encapsulated(byte[] ciphertext, byte[] sharedSecret) {
    }

    /** The encapsulation key {@code ek} of the key pair derived from {@code seed} ({@code ML-KEM.KeyGen_internal}). */
    static byte[] publicKey(byte[] seed) {
        MLKEMPrivateKeyParameters key = expand(seed);
        try {
            return key.getPublicKey();
        } finally {
            key.destroy();
        }
    }

    /**
     * {@code ML-KEM.Encaps_internal(ek, m)}, after FIPS 203's encapsulation key check; the lengths of {@code publicKey}
     * and {@code m} are the caller's to check.
     *
     * @throws VaultException {@code INVALID} if the key fails the modulus check
     */
    static Encapsulated encapsulate(byte[] publicKey, byte[] m) throws VaultException {
        MLKEMPublicKeyParameters ek;
        try {
            ek = new MLKEMPublicKeyParameters(PARAMETERS, publicKey);
        } catch (IllegalArgumentException e) {
            throw new VaultException(ErrorKind.INVALID, "the " + ALGORITHM + " encapsulation key fails FIPS 203's modulus "
                    + "check (a coefficient is not below q = 3329)");
        }
        SecretWithEncapsulation result = MLKEMGenerator.internalGenerateEncapsulated(ek, m);
        try {
            return new Encapsulated(result.getEncapsulation(), result.getSecret());
        } finally {
            destroy(result);
        }
    }

    /**
     * {@code ML-KEM.Decaps_internal(dk, c)} with the key derived from {@code seed}: a wrong ciphertext gives the
     * implicit-rejection secret. The length of {@code ciphertext} is the caller's to check.
     */
    static byte[] decapsulate(byte[] seed, byte[] ciphertext) {
        MLKEMPrivateKeyParameters key = expand(seed);
        try {
            return new MLKEMExtractor(key).extractSecret(ciphertext);
        } finally {
            key.destroy();
        }
    }

    private static MLKEMPrivateKeyParameters expand(byte[] seed) {
        return new MLKEMPrivateKeyParameters(PARAMETERS, seed);
    }

    private static void destroy(SecretWithEncapsulation result) {
        try {
            result.destroy();
        } catch (DestroyFailedException e) {
            // BouncyCastle's result clears its arrays and never fails; nothing is left to do.
        }
    }
}
