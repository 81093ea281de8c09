package org.hopseal.core.channel.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CipherStateTest {
    private static final byte[] AD = "ad".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT = "plaintext".getBytes(StandardCharsets.US_ASCII);
    private final SoftwareVault vault = new SoftwareVault();

    @AfterEach
    void close() {
        vault.close();
    }

    /** Two CipherStates with the same key, as the two ends of one direction have. */
    private CipherState[] pair(AeadAlgorithm cipher) throws HopsealException {
        SecretHandle secret = vault.importSecret(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
            22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        CipherState a = CipherState.withKey(vault, cipher, vault.toAeadKey(secret, cipher));
        CipherState b = CipherState.withKey(vault, cipher, vault.toAeadKey(secret, cipher));
        vault.delete(secret);
        return new CipherState[] {a, b};
    }

    @Test
    void aesGcmNoncesAreFourZeroBytesThenBigEndianAndChaChaLittleEndian() {
        long n = 0x0102030405060708L;
        assertThat(CipherState.nonceBytes(AeadAlgorithm.AES_256_GCM, n)).containsExactly(0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(CipherState.nonceBytes(AeadAlgorithm.CHACHA20_POLY1305, n)).containsExactly(0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(CipherState.nonceBytes(AeadAlgorithm.AES_256_GCM, -2)).containsExactly(0, 0, 0, 0,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE);
    }

    @Test
    void withoutAKeyEverythingPassesThroughAndTheNonceStays() throws Exception {
        CipherState c = new CipherState(vault, AeadAlgorithm.AES_256_GCM);
        assertThat(c.hasKey()).isFalse();
        assertThat(c.encryptWithAd(AD, TEXT)).isSameAs(TEXT);
        assertThat(c.decryptWithAd(AD, TEXT)).isSameAs(TEXT);
        byte[] framed = c.encryptWithAd(AD, TEXT, 3);
        assertThat(framed).hasSize(3 + TEXT.length);
        assertThat(Arrays.copyOf(framed, 3)).containsExactly(0, 0, 0);
        assertThat(Arrays.copyOfRange(framed, 3, framed.length)).isEqualTo(TEXT);
        assertThat(c.decryptWithAd(AD, framed, 3, TEXT.length)).isEqualTo(TEXT);
        assertThat(c.nonce()).isZero();
        assertThat(c).hasToString("CipherState{AES_256_GCM, key=none, n=0}");
    }

    @Test
    void eachEncryptionAndDecryptionUsesTheNextNonce() throws Exception {
        for (AeadAlgorithm cipher : AeadAlgorithm.values()) {
            CipherState[] p = pair(cipher);
            CipherState sender = p[0];
            CipherState receiver = p[1];
            assertThat(sender.hasKey()).isTrue();
            byte[] c0 = sender.encryptWithAd(AD, TEXT);
            byte[] c1 = sender.encryptWithAd(AD, TEXT);
            assertThat(sender.nonce()).isEqualTo(2);
            assertThat(c0).hasSize(TEXT.length + 16).isNotEqualTo(c1);
            assertThat(receiver.decryptWithAd(AD, c0)).isEqualTo(TEXT);
            assertThat(receiver.nonce()).isEqualTo(1);
            byte[] framed = new byte[5 + c1.length];
            System.arraycopy(c1, 0, framed, 5, c1.length);
            assertThat(receiver.decryptWithAd(AD, framed, 5, c1.length)).isEqualTo(TEXT);
            assertThat(receiver.nonce()).isEqualTo(2);
            // With headroom: the same ciphertext after the free bytes.
            byte[] c2 = sender.encryptWithAd(AD, TEXT, 9);
            assertThat(sender.nonce()).isEqualTo(3);
            assertThat(receiver.decryptWithAd(AD, c2, 9, c2.length - 9)).isEqualTo(TEXT);
            receiver.setNonce(2);
            assertThat(receiver.decryptWithAd(AD, Arrays.copyOfRange(c2, 9, c2.length))).isEqualTo(TEXT);
        }
    }

    @Test
    void aFailedDecryptionRefusesAndDoesNotAdvanceTheNonce() throws Exception {
        CipherState[] p = pair(AeadAlgorithm.AES_256_GCM);
        byte[] c = p[0].encryptWithAd(AD, TEXT);
        byte[] tampered = c.clone();
        tampered[0] ^= 1;
        assertThatThrownBy(() -> p[1].decryptWithAd(AD, tampered)).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> p[1].decryptWithAd(AD, tampered, 0, tampered.length)).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> p[1].decryptWithAd(new byte[0], c)).as("other associated data").isInstanceOf(AuthenticationFailedException.class);
        assertThat(p[1].nonce()).isZero();
        assertThat(p[1].decryptWithAd(AD, c)).isEqualTo(TEXT);
    }

    @Test
    void theLastNonceIsUsableAndTheReservedOneIsRefusedEverywhere() throws Exception {
        CipherState[] p = pair(AeadAlgorithm.AES_256_GCM);
        CipherState s = p[0];
        CipherState r = p[1];
        s.setNonce(CipherState.MAX_NONCE);
        byte[] last = s.encryptWithAd(AD, TEXT);
        assertThat(s.nonce()).isEqualTo(-1L);
        r.setNonce(-2L);
        assertThat(r.decryptWithAd(AD, last)).isEqualTo(TEXT);
        assertThat(s).hasToString("CipherState{AES_256_GCM, key=<redacted>, n=18446744073709551615}");
        assertExhausted(() -> s.encryptWithAd(AD, TEXT));
        assertExhausted(() -> s.encryptWithAd(AD, TEXT, 9));
        assertExhausted(() -> r.decryptWithAd(AD, last));
        assertExhausted(() -> r.decryptWithAd(AD, last, 0, last.length));
        // Nonces at or above 2^63 are large unsigned numbers, not negative ones.
        s.setNonce(Long.MIN_VALUE);
        assertThat(s.encryptWithAd(AD, TEXT)).hasSize(TEXT.length + 16);
    }

    private static void assertExhausted(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertHopsealError(ErrorKind.PROTOCOL, call).isInstanceOf(HandshakeException.class).hasMessageContaining("nonce space exhausted");
    }

    @Test
    void rekeyReplacesTheKeyKeepsTheNonceAndMatchesTheSuccessor() throws Exception {
        CipherState[] p = pair(AeadAlgorithm.AES_256_GCM);
        CipherState s = p[0];
        CipherState r = p[1];
        s.setNonce(7);
        int keys = vault.size();
        CipherState next = r.successor();
        assertThat(next.nonce()).isZero();
        assertThat(next.hasKey()).isTrue();
        assertThat(vault.size()).isEqualTo(keys + 1);
        s.rekey();
        assertThat(vault.size()).as("the old key is deleted").isEqualTo(keys + 1);
        assertThat(s.nonce()).isEqualTo(7);
        byte[] c = s.encryptWithAd(AD, TEXT);
        r.setNonce(7);
        assertThatThrownBy(() -> r.decryptWithAd(AD, c)).as("the old key no longer opens it").isInstanceOf(AuthenticationFailedException.class);
        next.setNonce(7);
        assertThat(next.decryptWithAd(AD, c)).isEqualTo(TEXT);
        // The successor left the original as it was.
        r.setNonce(0);
        s.setNonce(0);
        CipherState old = pair(AeadAlgorithm.AES_256_GCM)[0];
        assertThat(r.decryptWithAd(AD, old.encryptWithAd(AD, TEXT))).isEqualTo(TEXT);
    }

    @Test
    void destroyDeletesTheKeyOnceAndInitializeKeyReplacesIt() throws Exception {
        CipherState[] p = pair(AeadAlgorithm.AES_256_GCM);
        int keys = vault.size();
        p[0].destroy();
        assertThat(p[0].hasKey()).isFalse();
        assertThat(vault.size()).isEqualTo(keys - 1);
        p[0].destroy();
        assertThat(vault.size()).isEqualTo(keys - 1);
        SecretHandle secret = vault.importSecret(new byte[32]);
        p[1].setNonce(5);
        p[1].initializeKey(vault.toAeadKey(secret, AeadAlgorithm.AES_256_GCM));
        vault.delete(secret);
        assertThat(p[1].nonce()).isZero();
        assertThat(vault.size()).as("the previous key was deleted").isEqualTo(keys - 1);
        p[1].destroy();
        assertThat(vault.size()).isEqualTo(keys - 2);
    }
}
