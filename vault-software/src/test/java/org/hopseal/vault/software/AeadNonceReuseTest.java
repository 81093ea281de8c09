package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finding 5 of issue 16: the JDK refuses to encrypt twice in a row under one key and nonce, and the vault used to
 * get round that with a fresh cipher. Now the guard holds; only Noise's REKEY, whose nonce 2^64-1 is fixed, repeats.
 */
class AeadNonceReuseTest {
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 0x42);
    }

    private static AeadKeyHandle key(SoftwareVault v, AeadAlgorithm alg) throws VaultException {
        return v.toAeadKey(v.importSecret(KEY), alg);
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void encryptingTwiceUnderOneKeyAndNonceIsRefused(AeadAlgorithm alg) throws Exception {
        try (SoftwareVault v = new SoftwareVault()) {
            AeadKeyHandle k = key(v, alg);
            byte[] nonce = new byte[12];
            nonce[11] = 5;
            byte[] first = v.aeadEncrypt(k, nonce, new byte[0], "attack at dawn".getBytes());
            assertHopsealError(ErrorKind.INVALID, () -> v.aeadEncrypt(k, nonce.clone(), new byte[0], "attack at dusk".getBytes()))
                    .isInstanceOf(VaultException.class)
                    .hasMessageContaining("same " + alg + " key and nonce");
            assertThatThrownBy(() -> v.aeadEncrypt(k, nonce.clone(), new byte[0], "attack at dusk".getBytes(), 8))
                    .isInstanceOf(VaultException.class);
            // The key still works with a new nonce, and what was sent still decrypts.
            nonce[11] = 6;
            byte[] second = v.aeadEncrypt(k, nonce, new byte[0], "attack at noon".getBytes());
            assertThat(v.aeadDecrypt(k, nonce, new byte[0], second)).isEqualTo("attack at noon".getBytes());
            nonce[11] = 5;
            assertThat(v.aeadDecrypt(k, nonce, new byte[0], first)).isEqualTo("attack at dawn".getBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void rekeyRepeatsItsFixedNonceAndStaysNoiseRekey(AeadAlgorithm alg) throws Exception {
        try (SoftwareVault v = new SoftwareVault()) {
            AeadKeyHandle k = key(v, alg);
            byte[] expected = expectedRekey(alg);
            for (int i = 0; i < 3; i++) {
                assertThat(isKey(v, v.rekey(k), alg, expected)).isTrue();
            }
            // Between REKEYs the key's own messages keep their guard.
            byte[] nonce = new byte[12];
            v.aeadEncrypt(k, nonce, new byte[0], new byte[1]);
            assertThat(isKey(v, v.rekey(k), alg, expected)).isTrue();
            assertThatThrownBy(() -> v.aeadEncrypt(k, nonce, new byte[0], new byte[1])).isInstanceOf(VaultException.class);
            assertThat(isKey(v, v.rekey(k), alg, expected)).isTrue();
        }
    }

    /** REKEY(k): the first bytes of ENCRYPT(k, 2^64-1, empty, 32 zero bytes), computed with the JDK directly. */
    private static byte[] expectedRekey(AeadAlgorithm alg) throws Exception {
        byte[] nonce = new byte[12];
        Arrays.fill(nonce, 4, 12, (byte) 0xFF);
        return Arrays.copyOf(jdkEncrypt(alg, Arrays.copyOf(KEY, alg.keyLength()), nonce, new byte[32]), alg.keyLength());
    }

    private static byte[] jdkEncrypt(AeadAlgorithm alg, byte[] key, byte[] nonce, byte[] plaintext) throws Exception {
        Cipher c;
        if (alg == AeadAlgorithm.CHACHA20_POLY1305) {
            c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        } else {
            c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        }
        return c.doFinal(plaintext);
    }

    /**
     * AEAD keys cannot be exported, so a rekeyed key is identified by a probe: the key is expected to be the one whose
     * encryption of 16 zero bytes under nonce 9 the vault's handle reproduces. The handle is deleted after.
     */
    private static boolean isKey(SoftwareVault v, AeadKeyHandle k, AeadAlgorithm alg, byte[] key) throws Exception {
        byte[] nonce = new byte[12];
        nonce[0] = 9;
        byte[] probe = v.aeadEncrypt(k, nonce, new byte[0], new byte[16]);
        v.delete(k);
        return Arrays.equals(probe, jdkEncrypt(alg, key, nonce, new byte[16]));
    }
}
