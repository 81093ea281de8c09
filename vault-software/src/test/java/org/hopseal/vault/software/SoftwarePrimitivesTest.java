package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.vault.software.store.StoredState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The software vault's primitives against published vectors, its randomness, and its handles and locks. */
class SoftwarePrimitivesTest {
    private static final HexFormat HEX = HexFormat.of();
    private final SoftwareVault vault = new SoftwareVault();

    @AfterEach
    void close() {
        vault.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hashesMatchTheirPublishedAbcVectorsWhateverTheParts() {
        SoftwareVerifier verifier = new SoftwareVerifier();
        assertThat(HEX.formatHex(verifier.hash(HashAlgorithm.SHA256, utf8("a"), utf8("bc"))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(HEX.formatHex(verifier.hash(HashAlgorithm.SHA512, utf8("ab"), utf8("c")))).isEqualTo("ddaf35a193617abacc417349ae2041"
                + "3112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
        assertThat(HEX.formatHex(verifier.hash(HashAlgorithm.BLAKE2S, utf8("a"), utf8("bc"))))
                .isEqualTo("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
        assertThat(HEX.formatHex(verifier.hash(HashAlgorithm.BLAKE2B, utf8("ab"), utf8("c")))).isEqualTo("ba80a53f981c4d0d6a2797b69f12f6"
                + "e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
    }

    @Test
    void hmacMatchesRfc4231AndTakesAnEmptyKey() throws Exception {
        SecretHandle jefe = vault.importSecret(utf8("Jefe"));
        byte[] data = utf8("what do ya want for nothing?");
        assertThat(HEX.formatHex(vault.hmac(HashAlgorithm.SHA256, jefe, data)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(HEX.formatHex(vault.hmac(HashAlgorithm.SHA512, jefe, data))).isEqualTo("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e8"
                + "31fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
        assertThat(HEX.formatHex(vault.hmac(HashAlgorithm.SHA256, vault.importSecret(new byte[0]), new byte[0])))
                .isEqualTo("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
        assertThat(vault.hmac(HashAlgorithm.BLAKE2S, jefe, data)).hasSize(32).isNotEqualTo(vault.hmac(HashAlgorithm.SHA256, jefe, data));
        assertThat(vault.hmac(HashAlgorithm.BLAKE2B, jefe, data)).hasSize(64);
    }

    @Test
    void hkdfMatchesRfc5869AcrossBlocksAndSplits() throws Exception {
        SecretHandle salt = vault.importSecret(HEX.parseHex("000102030405060708090a0b0c"));
        byte[] ikmBytes = new byte[22];
        Arrays.fill(ikmBytes, (byte) 0x0b);
        SecretHandle ikm = vault.importSecret(ikmBytes);
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        String okm = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
        List<SecretHandle> whole = vault.hkdf(HashAlgorithm.SHA256, salt, ikm, info, List.of(42));
        assertThat(HEX.formatHex(vault.exportSecret(whole.getFirst(), InsecureSecretAccess.get()))).isEqualTo(okm);
        List<SecretHandle> split = vault.hkdf(HashAlgorithm.SHA256, salt, ikm, info, List.of(10, 32));
        assertThat(HEX.formatHex(vault.exportSecret(split.get(0), InsecureSecretAccess.get())) + HEX.formatHex(vault.exportSecret(split.get(1),
                InsecureSecretAccess.get()))).isEqualTo(okm);
    }

    @Test
    void everyGeneratedKeyIsFreshAndEveryVaultNamesItsOwnHandles() throws Exception {
        for (KeyType type : vault.signingKeyTypes()) {
            assertThat(vault.publicKey(vault.generateSigningKey(type))).isNotEqualTo(vault.publicKey(vault.generateSigningKey(type)));
        }
        for (KeyType type : vault.agreementKeyTypes()) {
            AgreementKeyHandle a = vault.generateAgreementKey(type, Persistence.EPHEMERAL);
            AgreementKeyHandle b = vault.generateAgreementKey(type, Persistence.EPHEMERAL);
            assertThat(vault.publicKey(a)).isNotEqualTo(vault.publicKey(b));
        }
        try (SoftwareVault one = new SoftwareVault(); SoftwareVault other = new SoftwareVault()) {
            SigningKeyHandle mine = one.generateSigningKey(KeyType.ED25519);
            SigningKeyHandle theirs = other.generateSigningKey(KeyType.ED25519);
            assertThat(theirs.id()).as("the first keys of two vaults").isNotEqualTo(mine.id());
            assertThatThrownBy(() -> other.sign(new SigningKeyHandle(mine.id(), KeyType.ED25519), new byte[1]))
                    .as("a handle of one vault names nothing in another")
                    .satisfies(e -> assertThat(((VaultException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        }
    }

    @Test
    void theVaultOffersEveryAlgorithmAndSignsWithX25519Keys() throws Exception {
        assertThat(vault.signingKeyTypes()).isEqualTo(EnumSet.of(KeyType.ED25519, KeyType.ECDSA_P256));
        assertThat(vault.agreementKeyTypes()).isEqualTo(EnumSet.of(KeyType.X25519, KeyType.P256_ECDH));
        assertThat(vault.hashAlgorithms()).isEqualTo(EnumSet.allOf(HashAlgorithm.class));
        assertThat(vault.aeadAlgorithms()).isEqualTo(EnumSet.allOf(AeadAlgorithm.class));
        AgreementKeyHandle x = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        new SoftwareVerifier().verify(vault.publicKey(x), utf8("prekey"), vault.xeddsaSign(x, utf8("prekey")));
    }

    @Test
    void anEmptyMessageIsJustItsTag() throws Exception {
        AeadKeyHandle key = vault.toAeadKey(vault.importSecret(new byte[32]), AeadAlgorithm.AES_256_GCM);
        byte[] tagOnly = vault.aeadEncrypt(key, new byte[12], new byte[0], new byte[0]);
        assertThat(tagOnly).hasSize(AeadAlgorithm.TAG_LENGTH);
        assertThat(vault.aeadDecrypt(key, new byte[12], new byte[0], tagOnly)).isEmpty();
    }

    /** Every change of the persistent state releases its lock: another thread can make the next one. */
    @Test
    void afterEachKindOfChangeAnotherThreadCanChangeToo() throws Exception {
        try (SoftwareVault v = SoftwareVault.persistent(StoredState.empty(), state -> { });
                ExecutorService other = Executors.newSingleThreadExecutor()) {
            SigningKeyHandle key = v.generateSigningKey(KeyType.ED25519);
            onAnotherThread(other, () -> v.putRecord("a", new byte[1]));
            v.putRecord("b", new byte[1]);
            onAnotherThread(other, () -> v.deleteRecord("a"));
            v.deleteRecord("b");
            onAnotherThread(other, () -> v.generateSigningKey(KeyType.ED25519));
            v.delete(key);
            onAnotherThread(other, () -> v.generateSigningKey(KeyType.ECDSA_P256));
            assertThat(v.signingKeys()).hasSize(2);
            assertThat(v.recordNames()).isEmpty();
        }
    }

    @FunctionalInterface
    private interface Change {
        void run() throws Exception;
    }

    /** Runs {@code change} on {@code thread} and waits for it; its failure is rethrown here, on the test thread. */
    private static void onAnotherThread(ExecutorService thread, Change change) throws Exception {
        thread.submit(() -> {
            change.run();
            return null;
        }).get(30, TimeUnit.SECONDS);
    }
}
