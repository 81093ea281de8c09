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
 * ML-KEM (FIPS 203) through BouncyCastle's lightweight API, on raw encodings, for one parameter set. A private key is
 * its 64-byte seed {@code d || z}, expanded again ({@code ML-KEM.KeyGen_internal}) for each operation, so that the
 * vault keeps one 64-byte secret per key. BouncyCastle's copies of the expanded key are destroyed after each call; its
 * intermediate values (the matrix, the noise polynomials) are left to the garbage collector. Lengths are the caller's
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

    /** The encapsulation key {@code ek} of the key pair derived from {@code seed} ({@code ML-KEM.KeyGen_internal}). */
    byte[] publicKey(byte[] seed) {
        MLKEMPrivateKeyParameters key = expand(seed);
        try {
            return key.getPublicKey();
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
     * {@code ML-KEM.Decaps_internal(dk, c)} with the key derived from {@code seed}: a wrong ciphertext gives the
     * implicit-rejection secret.
     */
    byte[] decapsulate(byte[] seed, byte[] ciphertext) {
        MLKEMPrivateKeyParameters key = expand(seed);
        try {
            return new MLKEMExtractor(key).extractSecret(ciphertext);
        } finally {
            Scrub.destroy(key);
        }
    }

    private MLKEMPrivateKeyParameters expand(byte[] seed) {
        return new MLKEMPrivateKeyParameters(parameters, seed);
    }
}
