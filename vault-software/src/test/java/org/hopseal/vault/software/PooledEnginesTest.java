package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.SecretHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JDK engines the vault reuses ({@link EnginePool}, {@link AeadCiphers}, {@link Digests}): a pooled engine holds
 * no key of the vault, a deleted key's ciphers are wiped and refused, keys that share a thread or a pooled cipher
 * never mix, and many threads at once get the published vectors' answers.
 */
class PooledEnginesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] PROBE = "sixteen bytes...".getBytes(StandardCharsets.UTF_8);

    private static byte[] key(int fill, AeadAlgorithm alg) {
        byte[] k = new byte[alg.keyLength()];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private static AeadKeyHandle aeadKey(SoftwareVault v, byte[] key, AeadAlgorithm alg) throws VaultException {
        SecretHandle s = v.importSecret(key);
        AeadKeyHandle k = v.toAeadKey(s, alg);
        v.delete(s);
        return k;
    }

    private static byte[] nonce(long n) {
        return ByteBuffer.allocate(12).putLong(4, n).array();
    }

    private static Cipher jdkCipher(int mode, AeadAlgorithm alg, byte[] key, byte[] nonce) throws Exception {
        if (alg == AeadAlgorithm.CHACHA20_POLY1305) {
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            return c;
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        return c;
    }

    private static byte[] jdkEncrypt(AeadAlgorithm alg, byte[] key, byte[] nonce, byte[] plaintext) throws Exception {
        return jdkCipher(Cipher.ENCRYPT_MODE, alg, key, nonce).doFinal(plaintext);
    }

    /** Takes every cipher the pool keeps; each must be set to encrypt under the public (all-zero) key, never {@code secret}. */
    private static int drainCheckingWiped(AeadAlgorithm alg, byte[] secret) throws Exception {
        AeadCiphers ciphers = AeadCiphers.of(alg);
        int n = 0;
        while (ciphers.kept() > 0) {
            Cipher c = ciphers.take();
            byte[] iv = c.getIV();
            byte[] out = c.doFinal(PROBE);
            assertThat(out).isEqualTo(jdkEncrypt(alg, new byte[alg.keyLength()], iv, PROBE));
            if (secret != null) {
                assertThat(out).isNotEqualTo(jdkEncrypt(alg, secret, iv, PROBE));
            }
            n++;
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void aDeletedKeysCiphersGoBackWipedAndItsHandleIsRefused(AeadAlgorithm alg) throws Exception {
        drainCheckingWiped(alg, null);
        byte[] secret = key(0x42, alg);
        try (SoftwareVault v = new SoftwareVault()) {
            AeadKeyHandle k = aeadKey(v, secret, alg);
            byte[] ct = v.aeadEncrypt(k, nonce(1), new byte[0], PROBE);
            assertThat(v.aeadDecrypt(k, nonce(1), new byte[0], ct)).isEqualTo(PROBE);
            assertThat(AeadCiphers.of(alg).kept()).isZero();
            v.delete(k);
            assertThat(drainCheckingWiped(alg, secret)).isEqualTo(2);
            assertHopsealError(ErrorKind.NOT_FOUND, () -> v.aeadEncrypt(k, nonce(2), new byte[0], PROBE));
            assertHopsealError(ErrorKind.NOT_FOUND, () -> v.aeadDecrypt(k, nonce(1), new byte[0], ct));
        }
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void rekeyBorrowsACipherAndGivesItBackWiped(AeadAlgorithm alg) throws Exception {
        drainCheckingWiped(alg, null);
        byte[] secret = key(0x17, alg);
        try (SoftwareVault v = new SoftwareVault()) {
            AeadKeyHandle k = aeadKey(v, secret, alg);
            AeadKeyHandle next = v.rekey(k);
            assertThat(drainCheckingWiped(alg, secret)).isEqualTo(1);
            byte[] expected = Arrays.copyOf(jdkEncrypt(alg, secret, maxNonce(), new byte[32]), alg.keyLength());
            assertThat(v.aeadEncrypt(next, nonce(3), new byte[0], PROBE)).isEqualTo(jdkEncrypt(alg, expected, nonce(3), PROBE));
        }
    }

    private static byte[] maxNonce() {
        byte[] n = new byte[12];
        Arrays.fill(n, 4, 12, (byte) 0xFF);
        return n;
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void keysOnOneThreadNeverMixEvenThroughARecycledCipher(AeadAlgorithm alg) throws Exception {
        byte[] a = key(0x0A, alg);
        byte[] b = key(0x0B, alg);
        byte[] c = key(0x0C, alg);
        try (SoftwareVault v = new SoftwareVault()) {
            AeadKeyHandle ka = aeadKey(v, a, alg);
            AeadKeyHandle kb = aeadKey(v, b, alg);
            for (long n = 0; n < 4; n++) {
                assertThat(v.aeadEncrypt(ka, nonce(n), new byte[0], PROBE)).isEqualTo(jdkEncrypt(alg, a, nonce(n), PROBE));
                assertThat(v.aeadEncrypt(kb, nonce(n), new byte[0], PROBE)).isEqualTo(jdkEncrypt(alg, b, nonce(n), PROBE));
            }
            byte[] fromB = v.aeadEncrypt(kb, nonce(9), new byte[0], PROBE);
            v.delete(ka); // its cipher goes to the pool, where the next key finds it
            AeadKeyHandle kc = aeadKey(v, c, alg);
            assertThat(v.aeadEncrypt(kc, nonce(0), new byte[0], PROBE)).isEqualTo(jdkEncrypt(alg, c, nonce(0), PROBE));
            assertThat(v.aeadDecrypt(kb, nonce(9), new byte[0], fromB)).isEqualTo(PROBE);
            assertThatThrownBy(() -> v.aeadDecrypt(kc, nonce(9), new byte[0], fromB))
                    .isInstanceOf(AuthenticationFailedException.class);
            assertThat(v.aeadEncrypt(kb, nonce(10), new byte[0], PROBE)).isEqualTo(jdkEncrypt(alg, b, nonce(10), PROBE));
        }
    }

    @Test
    void aPooledMacKeepsOnlyThePublicKeyAndAPooledDigestNothing() throws Exception {
        byte[] secret = "a secret HMAC key".getBytes(StandardCharsets.UTF_8);
        for (HashAlgorithm hash : List.of(HashAlgorithm.SHA256, HashAlgorithm.SHA512)) {
            EnginePool<Mac> macs = hash == HashAlgorithm.SHA256 ? Digests.HMAC_SHA256 : Digests.HMAC_SHA512;
            while (macs.kept() > 0) {
                macs.take();
            }
            Digests.hmac(hash, secret, PROBE);
            assertThat(macs.kept()).isEqualTo(1);
            assertWiped(macs.take(), secret);
            Digests.hkdf(hash, secret, PROBE, PROBE, 3 * hash.hashLength());
            assertThat(macs.kept()).isEqualTo(1);
            assertWiped(macs.take(), secret);

            EnginePool<MessageDigest> digests = hash == HashAlgorithm.SHA256 ? Digests.SHA256 : Digests.SHA512;
            while (digests.kept() > 0) {
                digests.take();
            }
            Digests.hash(hash, PROBE, secret);
            assertThat(digests.kept()).isEqualTo(1);
            assertThat(digests.take().digest()).isEqualTo(MessageDigest.getInstance(hash == HashAlgorithm.SHA256 ? "SHA-256" : "SHA-512").digest());
        }
    }

    /** A pooled Mac must be keyed with the public all-zero key, never with {@code secret}. */
    private static void assertWiped(Mac pooled, byte[] secret) throws Exception {
        String name = pooled.getAlgorithm();
        assertThat(pooled.doFinal()).isEqualTo(jdkMac(name, new byte[64])).isNotEqualTo(jdkMac(name, secret));
    }

    private static byte[] jdkMac(String name, byte[] key) throws Exception {
        Mac m = Mac.getInstance(name);
        m.init(new SecretKeySpec(key, name));
        return m.doFinal();
    }

    /**
     * Eight threads at once, each with keys of its own and pooled engines shared with the others: every answer is the
     * published vector's or the JDK's own.
     */
    @Test
    void manyThreadsAtOnceGetTheVectorsAnswers() throws Exception {
        byte[] jefe = "Jefe".getBytes(StandardCharsets.UTF_8);
        byte[] wantYa = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        try (SoftwareVault v = new SoftwareVault()) {
            SecretHandle jefeKey = v.importSecret(jefe);
            SecretHandle saltKey = v.importSecret(salt);
            SecretHandle ikmKey = v.importSecret(ikm);
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int id = t;
                    results.add(threads.submit(() -> {
                        AeadAlgorithm alg = AeadAlgorithm.values()[id % AeadAlgorithm.values().length];
                        for (int i = 0; i < 200; i++) {
                            // RFC 4231 test case 2 and RFC 5869 test case 1 (SHA-256)
                            assertThat(HEX.formatHex(v.hmac(HashAlgorithm.SHA256, jefeKey, wantYa)))
                                    .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
                            List<SecretHandle> okm = v.hkdf(HashAlgorithm.SHA256, saltKey, ikmKey, info, List.of(42));
                            assertThat(HEX.formatHex(v.exportSecret(okm.get(0), InsecureSecretAccess.get()))).isEqualTo(
                                    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
                            v.delete(okm.get(0));
                            assertThat(HEX.formatHex(Digests.hash(HashAlgorithm.SHA256, "ab".getBytes(), "c".getBytes())))
                                    .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
                            byte[] secret = key(id * 16 + i % 16, alg);
                            AeadKeyHandle k = aeadKey(v, secret, alg);
                            byte[] ad = {(byte) id};
                            byte[] ct = v.aeadEncrypt(k, nonce(i), ad, PROBE);
                            Cipher expected = jdkCipher(Cipher.ENCRYPT_MODE, alg, secret, nonce(i));
                            expected.updateAAD(ad);
                            assertThat(ct).isEqualTo(expected.doFinal(PROBE));
                            assertThat(v.aeadDecrypt(k, nonce(i), ad, ct)).isEqualTo(PROBE);
                            v.delete(k);
                        }
                        return null;
                    }));
                }
                for (Future<?> r : results) {
                    r.get();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /**
     * A key deleted while other threads use it: every call either gives the key's own answer or is refused as
     * {@code NOT_FOUND}; none runs under a wiped key or fails otherwise.
     */
    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void aKeyDeletedInUseGivesItsOwnAnswersOrNotFound(AeadAlgorithm alg) throws Exception {
        try (SoftwareVault v = new SoftwareVault()) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 50; round++) {
                    byte[] secret = key(round + 1, alg);
                    AeadKeyHandle k = aeadKey(v, secret, alg);
                    byte[] ct0 = jdkEncrypt(alg, secret, nonce(0), PROBE);
                    AtomicLong nonces = new AtomicLong(1);
                    List<Future<?>> users = new ArrayList<>();
                    for (int t = 0; t < 3; t++) {
                        users.add(threads.submit(() -> {
                            for (int i = 0; i < 50; i++) {
                                long n = nonces.getAndIncrement();
                                try {
                                    assertThat(v.aeadEncrypt(k, nonce(n), new byte[0], PROBE))
                                            .isEqualTo(jdkEncrypt(alg, secret, nonce(n), PROBE));
                                    assertThat(v.aeadDecrypt(k, nonce(0), new byte[0], ct0)).isEqualTo(PROBE);
                                } catch (VaultException e) {
                                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                                    return null;
                                }
                            }
                            return null;
                        }));
                    }
                    Thread.sleep(0, 50_000 * (round % 5));
                    v.delete(k);
                    for (Future<?> u : users) {
                        u.get();
                    }
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
