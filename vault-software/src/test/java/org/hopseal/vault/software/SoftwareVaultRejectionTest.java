package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SigningKeyHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the software vault refuses, each with the error kind it promises. */
class SoftwareVaultRejectionTest {
    private final SoftwareVault vault = new SoftwareVault();

    @AfterEach
    void close() {
        vault.close();
    }

    private static ErrorKind kindOf(Throwable e) {
        return ((VaultException) e).kind();
    }

    @Test
    void keyTypesOutsideARoleAreUnsupported() {
        assertThatThrownBy(() -> vault.generateSigningKey(KeyType.X25519)).hasMessageContaining("X25519 is not a signing key type")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThatThrownBy(() -> vault.generateAgreementKey(KeyType.ED25519, Persistence.EPHEMERAL))
                .hasMessageContaining("ED25519 is not a key agreement type").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThatThrownBy(() -> vault.importAgreementKey(KeyType.ECDSA_P256, new byte[32], Persistence.EPHEMERAL))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.UNSUPPORTED));
        assertThatThrownBy(() -> vault.importAgreementKey(KeyType.X25519, new byte[31], Persistence.EPHEMERAL))
                .hasMessageContaining("32 bytes, not 31").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.importAgreementKey(KeyType.P256_ECDH, new byte[32], Persistence.EPHEMERAL))
                .hasMessageContaining("not a valid P-256 private key").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThat(vault.size()).as("nothing refused was kept").isZero();
    }

    @Test
    void aHandleOfAnotherTypeOrANameNoKeyIsRefused() throws Exception {
        SigningKeyHandle ed = vault.generateSigningKey(KeyType.ED25519);
        assertThatThrownBy(() -> vault.sign(new SigningKeyHandle(ed.id(), KeyType.ECDSA_P256), new byte[1]))
                .hasMessageContaining("is ED25519, not ECDSA_P256").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        AgreementKeyHandle x = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        assertThatThrownBy(() -> vault.xeddsaSign(new AgreementKeyHandle(vault.generateAgreementKey(KeyType.P256_ECDH,
                Persistence.EPHEMERAL).id(), KeyType.X25519), new byte[1])).satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.delete(new SigningKeyHandle("nothing", KeyType.ED25519)))
                .hasMessageContaining("no key with id nothing").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(vault.find(vault.publicKey(x))).as("an agreement key is no signing key").isEmpty();
        assertThat(vault.find(new PublicKey(KeyType.X25519, vault.publicKey(x).bytes()))).isEmpty();
    }

    @Test
    void agreementNeedsAPeerOfTheSameTypeOnTheCurve() throws Exception {
        AgreementKeyHandle x = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        AgreementKeyHandle p = vault.generateAgreementKey(KeyType.P256_ECDH, Persistence.EPHEMERAL);
        assertThatThrownBy(() -> vault.agree(x, vault.publicKey(p))).hasMessageContaining("cannot agree a X25519 key with a P256_ECDH key")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.agree(x, new PublicKey(KeyType.X25519, new byte[33]))).hasMessageContaining("32 bytes, not 33")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        byte[] offCurve = vault.publicKey(p).bytes();
        offCurve[64] ^= 1;
        assertThatThrownBy(() -> vault.agree(p, new PublicKey(KeyType.P256_ECDH, offCurve))).hasMessageContaining("invalid P-256 public key")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        int before = vault.size();
        assertThatThrownBy(() -> vault.agree(x, new PublicKey(KeyType.X25519, new byte[32]))).hasMessageContaining("low-order");
        assertThat(vault.size()).as("no secret is kept from a refused agreement").isEqualTo(before);
    }

    @Test
    void hkdfOutputsMustBePositiveAndAtMost255Blocks() throws Exception {
        SecretHandle salt = vault.importSecret(new byte[32]);
        SecretHandle ikm = vault.importSecret(new byte[] {1});
        assertThatThrownBy(() -> vault.hkdf(HashAlgorithm.SHA256, salt, ikm, new byte[0], List.of(32, 0)))
                .hasMessageContaining("must be positive").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.hkdf(HashAlgorithm.SHA256, salt, ikm, new byte[0], List.of(255 * 32, 1)))
                .hasMessageContaining("at most 8160 bytes").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        List<SecretHandle> out = vault.hkdf(HashAlgorithm.SHA256, salt, ikm, new byte[0], List.of(255 * 32 - 1, 1));
        assertThat(out).extracting(SecretHandle::length).containsExactly(8159, 1);
    }

    @Test
    void aeadKeysNeedEnoughSecretAndMessagesNeedTwelveByteNonces() throws Exception {
        SecretHandle short31 = vault.importSecret(new byte[31]);
        assertThatThrownBy(() -> vault.toAeadKey(short31, AeadAlgorithm.AES_256_GCM)).hasMessageContaining("needs 32 key bytes, the secret has 31")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        AeadKeyHandle key = vault.toAeadKey(vault.importSecret(new byte[40]), AeadAlgorithm.AES_256_GCM);
        assertThatThrownBy(() -> vault.aeadEncrypt(key, new byte[11], new byte[0], new byte[1]))
                .hasMessageContaining("12 bytes, not 11").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.aeadEncrypt(key, new byte[12], new byte[0], new byte[1], -1))
                .hasMessageContaining("negative headroom").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.aeadDecrypt(key, new byte[13], new byte[0], new byte[16]))
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.aeadDecrypt(key, new byte[12], new byte[0], new byte[15]))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> vault.aeadDecrypt(key, new byte[12], new byte[0], new byte[20], 10, 11))
                .isInstanceOf(IndexOutOfBoundsException.class);
        byte[] sealed = vault.aeadEncrypt(key, new byte[12], new byte[] {1}, new byte[] {2, 3}, 0);
        assertThat(sealed).hasSize(2 + AeadAlgorithm.TAG_LENGTH);
        assertThat(vault.aeadDecrypt(key, new byte[12], new byte[] {1}, sealed)).containsExactly(2, 3);
        assertThatThrownBy(() -> vault.aeadDecrypt(key, new byte[12], new byte[0], sealed))
                .as("the associated data is authenticated").isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void persistentAndEphemeralAgreementKeysAreListedAsPromised() throws Exception {
        AgreementKeyHandle b = vault.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
        vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        AgreementKeyHandle a = vault.importAgreementKey(KeyType.X25519, new byte[32], Persistence.PERSISTENT);
        vault.generateSigningKey(KeyType.ED25519);
        assertThat(vault.agreementKeys()).containsExactlyInAnyOrder(a, b).isSortedAccordingTo((x, y) -> x.id().compareTo(y.id()));
        assertThat(vault.signingKeys()).hasSize(1);
        assertThat(vault.toString()).isEqualTo("SoftwareVault{4 keys}");
        assertThat(vault.size()).isEqualTo(4);
    }

    @Test
    void concatenatedSecretsKeepTheirParts() throws Exception {
        SecretHandle a = vault.importSecret(new byte[] {1});
        SecretHandle b = vault.importSecret(new byte[] {2, 3});
        SecretHandle ab = vault.concatenate(List.of(a, b));
        assertThat(ab.length()).isEqualTo(3);
        assertThat(vault.exportSecret(ab, InsecureSecretAccess.get())).containsExactly(1, 2, 3);
        assertThat(vault.exportSecret(a, InsecureSecretAccess.get())).containsExactly(1);
        assertThatThrownBy(() -> vault.exportSecret(a, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void kemInputsOfTheWrongLengthAreRefusedWithWhatWasExpectedAndNothingIsKept() throws Exception {
        KemAlgorithm alg = KemAlgorithm.ML_KEM_768;
        assertThat(vault.kemAlgorithms()).containsExactly(alg);
        KemKeyHandle key = vault.generateKemKey(alg);
        byte[] publicKey = vault.kemPublicKey(key);
        int before = vault.size();
        assertThatThrownBy(() -> vault.importKemKey(alg, new byte[63])).hasMessage("ML_KEM_768 seeds (d || z) are 64 bytes, not 63")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.encapsulate(alg, new byte[1185])).hasMessage("ML_KEM_768 encapsulation keys are 1184 bytes, not 1185")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.encapsulate(alg, publicKey, new byte[31]))
                .hasMessage("ML_KEM_768 encapsulation randomness values (m) are 32 bytes, not 31")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> vault.decapsulate(key, new byte[1087])).hasMessage("ML_KEM_768 ciphertexts are 1088 bytes, not 1087")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        byte[] overflow = publicKey.clone();
        overflow[0] = (byte) 0xFF;
        overflow[1] = (byte) 0x0F;
        assertThatThrownBy(() -> vault.encapsulate(alg, overflow)).hasMessageContaining("fails FIPS 203's modulus check")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
        assertThat(vault.size()).as("nothing refused was kept").isEqualTo(before);
    }

    @Test
    void kemKeysAndSecretsAreCountedUntilDeletedAndRefusedOnceTheVaultIsClosed() throws Exception {
        KemKeyHandle key = vault.importKemKey(KemAlgorithm.ML_KEM_768, new byte[64]);
        assertThat(vault.size()).isEqualTo(1);
        Encapsulation sent = vault.encapsulate(KemAlgorithm.ML_KEM_768, vault.kemPublicKey(key));
        SecretHandle received = vault.decapsulate(key, sent.ciphertext());
        assertThat(vault.exportSecret(received, InsecureSecretAccess.get())).hasSize(32)
                .isEqualTo(vault.exportSecret(sent.sharedSecret(), InsecureSecretAccess.get()));
        assertThat(vault.size()).as("the key and two secrets").isEqualTo(3);
        vault.delete(key);
        assertThat(vault.size()).isEqualTo(2);
        KemKeyHandle other = vault.generateKemKey(KemAlgorithm.ML_KEM_768);
        byte[] publicKey = vault.kemPublicKey(other);
        vault.close();
        List<ThrowingCall> calls = List.of(() -> vault.generateKemKey(KemAlgorithm.ML_KEM_768),
                () -> vault.importKemKey(KemAlgorithm.ML_KEM_768, new byte[64]), () -> vault.kemPublicKey(other),
                () -> vault.encapsulate(KemAlgorithm.ML_KEM_768, publicKey), () -> vault.decapsulate(other, sent.ciphertext()),
                () -> vault.delete(other));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run).hasMessageContaining("closed").satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.SHUTDOWN));
        }
        assertThat(vault.size()).isZero();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
