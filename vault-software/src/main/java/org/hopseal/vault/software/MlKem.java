package org.hopseal.vault.software;

import java.util.Set;
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
 * ML-KEM (FIPS 203) through BouncyCastle's lightweight API, on raw encodings, for one parameter set. A key pair is
 * derived from its 64-byte seed {@code d || z} once ({@code ML-KEM.KeyGen_internal}); the vault keeps the expanded
 * decapsulation key {@code dk} (2,400 bytes for ML-KEM-768), which BouncyCastle reads back in microseconds, where
 * deriving it again from the seed would cost a key generation per decapsulation. BouncyCastle's copies of the key are
 * destroyed after each call; its intermediate values (the matrix, the noise polynomials) are left to the garbage
 * collector. Lengths are the caller's
 * to check (against {@link #algorithm()}'s); everything else FIPS 203 asks of the inputs is checked here.
 */
final class MlKem {
    private static final MlKem ML_KEM_768 = new MlKem(KemAlgorithm.ML_KEM_768, MLKEMParameters.ml_kem_768);
    /** The algorithms this class offers. */
    static final Set<KemAlgorithm> ALGORITHMS = Set.of(ML_KEM_768.algorithm);
    /** The length of {@code m}, the randomness of one encapsulation (FIPS 203: 32 bytes for every parameter set). */
    static final int RANDOMNESS_LENGTH = 32;

    private final KemAlgorithm algorithm;
    private final MLKEMParameters parameters;

    private MlKem(KemAlgorithm algorithm, MLKEMParameters parameters) {
        this.algorithm = algorithm;
        this.parameters = parameters;
    }

    /** The implementation of {@code algorithm}. */
    static MlKem of(KemAlgorithm algorithm) throws VaultException {
        if (algorithm != ML_KEM_768.algorithm) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "this vault offers no " + algorithm);
        }
        return ML_KEM_768;
    }

    KemAlgorithm algorithm() {
        return algorithm;
    }

    /** A ciphertext and the shared secret it carries (which the caller wipes). */
    record Encapsulated(byte[] ciphertext, byte[] sharedSecret) {
    }

    /** A key pair: the decapsulation key {@code dk} (a secret, which the caller wipes) and the encapsulation key. */
    record KeyPair(byte[] decapsulationKey, byte[] publicKey) {
    }

    /** The key pair derived from {@code seed} ({@code ML-KEM.KeyGen_internal}). */
    KeyPair derive(byte[] seed) {
        MLKEMPrivateKeyParameters key = new MLKEMPrivateKeyParameters(parameters, seed);
        try {
            return new KeyPair(key.getEncoded(), key.getPublicKey());
        } finally {
            Scrub.destroy(key);
        }
    }

    /**
     * {@code ML-KEM.Encaps_internal(ek, m)}, after FIPS 203's encapsulation key check.
     *
     * @throws VaultException {@code INVALID} if the key fails the modulus check
     */
    Encapsulated encapsulate(byte[] publicKey, byte[] m) throws VaultException {
        MLKEMPublicKeyParameters ek;
        try {
            ek = new MLKEMPublicKeyParameters(parameters, publicKey);
        } catch (IllegalArgumentException e) {
            throw new VaultException(ErrorKind.INVALID, "the " + algorithm + " encapsulation key fails FIPS 203's modulus "
                    + "check (a coefficient is not below q = 3329)");
        }
        SecretWithEncapsulation result = MLKEMGenerator.internalGenerateEncapsulated(ek, m);
        try {
            return new Encapsulated(result.getEncapsulation(), result.getSecret());
        } finally {
            Scrub.destroy(result);
        }
    }

    /**
     * {@code ML-KEM.Decaps_internal(dk, c)}: a wrong ciphertext gives the implicit-rejection secret.
     */
    byte[] decapsulate(byte[] decapsulationKey, byte[] ciphertext) {
        MLKEMPrivateKeyParameters key = new MLKEMPrivateKeyParameters(parameters, decapsulationKey);
        try {
            return new MLKEMExtractor(key).extractSecret(ciphertext);
        } finally {
            Scrub.destroy(key);
        }
    }
}
