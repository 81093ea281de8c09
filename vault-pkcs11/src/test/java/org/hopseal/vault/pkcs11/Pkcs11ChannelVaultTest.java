package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Agreement keys on the token: P-256 ECDH always, X25519 as an option; and a token that drops its sessions. */
class Pkcs11ChannelVaultTest {
    private static final InsecureSecretAccess ACCESS = InsecureSecretAccess.get();

    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    private static Vaults open(String object, String channelKey) throws VaultException {
        return Vaults.open(SoftHsm.uri(SoftHsm.TOKEN, object, "env:" + SoftHsm.PIN_ENV) + (channelKey == null ? "" : "&x-channel-key=" + channelKey));
    }

    /** The shared secret {@code mine} agrees with a software key, and the software key's view of it. */
    private static void assertAgreesWithSoftware(SecureChannelVault vault, AgreementKeyHandle mine) throws Exception {
        try (SoftwareVault other = new SoftwareVault()) {
            AgreementKeyHandle theirs = other.generateAgreementKey(mine.type(), Persistence.EPHEMERAL);
            SecretHandle a = vault.agree(mine, other.publicKey(theirs));
            SecretHandle b = other.agree(theirs, vault.publicKey(mine));
            assertThat(vault.exportSecret(a, ACCESS)).hasSize(32).isEqualTo(other.exportSecret(b, ACCESS));
        }
    }

    @Test
    void p256EcdhKeysLiveOnTheTokenAndCannotBeReadOut() throws Exception {
        try (Vaults v = open("ecdh", null)) {
            Pkcs11ChannelVault channel = (Pkcs11ChannelVault) v.channel();
            assertThat(channel.agreementKeyTypes()).contains(KeyType.P256_ECDH, KeyType.X25519);
            for (Persistence p : Persistence.values()) {
                AgreementKeyHandle k = channel.generateAgreementKey(KeyType.P256_ECDH, p);
                assertThat(k.id()).startsWith("p11-");
                assertAgreesWithSoftware(channel, k);
                assertThat(TokenProbe.tryReadPrivateValue(k)).as("CKA_VALUE of a sensitive, non-extractable key").isNull();
                channel.delete(k);
                assertHopsealError(ErrorKind.NOT_FOUND, () -> channel.publicKey(k)).isInstanceOf(VaultException.class);
            }
        }
    }

    @Test
    void mlKemKeysAreTheSoftwareVaultsAndAreDeletedThere() throws Exception {
        try (Vaults v = open("kem", "token")) {
            Pkcs11ChannelVault channel = (Pkcs11ChannelVault) v.channel();
            assertThat(channel.kemAlgorithms()).containsExactly(KemAlgorithm.ML_KEM_768);
            KemKeyHandle key = channel.generateKemKey(KemAlgorithm.ML_KEM_768);
            assertThat(key.id()).doesNotStartWith("p11-");
            KemKeyHandle fromSeed = channel.importKemKey(KemAlgorithm.ML_KEM_768, new byte[64]);
            try (SoftwareVault other = new SoftwareVault()) {
                byte[] expected = other.kemPublicKey(other.importKemKey(KemAlgorithm.ML_KEM_768, new byte[64]));
                assertThat(channel.kemPublicKey(fromSeed)).isEqualTo(expected);
                Encapsulation fixed = channel.encapsulate(KemAlgorithm.ML_KEM_768, expected, new byte[32]);
                assertThat(fixed.ciphertext()).isEqualTo(other.encapsulate(KemAlgorithm.ML_KEM_768, expected, new byte[32]).ciphertext());
            }
            Encapsulation sent = channel.encapsulate(KemAlgorithm.ML_KEM_768, channel.kemPublicKey(key));
            assertThat(channel.exportSecret(channel.decapsulate(key, sent.ciphertext()), ACCESS))
                    .isEqualTo(channel.exportSecret(sent.sharedSecret(), ACCESS));
            channel.delete(key);
            assertHopsealError(ErrorKind.NOT_FOUND, () -> channel.decapsulate(key, sent.ciphertext())).isInstanceOf(VaultException.class);
            assertHopsealError(ErrorKind.NOT_FOUND, () -> channel.delete(key)).isInstanceOf(VaultException.class);
        }
    }

    @Test
    void badPeerPointsAreRejectedBeforeTheTokenSeesThem() throws Exception {
        try (Vaults v = open("ecdh-bad", null)) {
            AgreementKeyHandle k = v.channel().generateAgreementKey(KeyType.P256_ECDH, Persistence.EPHEMERAL);
            byte[] offCurve = v.channel().publicKey(k).bytes();
            offCurve[64] ^= 1;
            assertHopsealError(ErrorKind.INVALID, () -> v.channel().agree(k, new PublicKey(KeyType.P256_ECDH, offCurve)))
                    .isInstanceOf(VaultException.class).hasMessageContaining("invalid P256_ECDH public key");
            assertHopsealError(ErrorKind.INVALID, () -> v.channel().agree(k, new PublicKey(KeyType.X25519, new byte[32])))
                    .isInstanceOf(VaultException.class);
        }
    }

    @Test
    void withTheOptionAPersistentX25519KeyLivesOnTheTokenAndIsFoundAgain() throws Exception {
        AgreementKeyHandle k;
        PublicKey pub;
        try (Vaults v = open("x25519", "token")) {
            Pkcs11ChannelVault channel = (Pkcs11ChannelVault) v.channel();
            k = channel.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            pub = channel.publicKey(k);
            assertThat(k.id()).startsWith("p11-");
            assertAgreesWithSoftware(channel, k);
            assertThat(TokenProbe.tryReadPrivateValue(k)).isNull();
            assertHopsealError(ErrorKind.INVALID, () -> channel.agree(k, new PublicKey(KeyType.X25519, new byte[32])))
                    .isInstanceOf(VaultException.class).hasMessageContaining("low-order");
            AgreementKeyHandle ephemeral = channel.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            assertThat(ephemeral.id()).as("ephemeral keys stay in software").doesNotStartWith("p11-");
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> channel.xeddsaSign(k, new byte[1])).isInstanceOf(VaultException.class);
        }
        try (Vaults v = open("x25519", "token")) {
            assertThat(v.channel().agreementKeys()).contains(k);
            assertThat(v.channel().publicKey(k)).isEqualTo(pub);
            assertAgreesWithSoftware(v.channel(), k);
        }
        try (Vaults v = open("x25519-default", null)) {
            AgreementKeyHandle inSoftware = v.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            assertThat(inSoftware.id()).as("without the option the static key is a software key").doesNotStartWith("p11-");
        }
    }

    @Test
    void anUnknownChannelKeyOptionIsAClearError() {
        assertHopsealError(ErrorKind.INVALID, () -> open("x", "hsm")).isInstanceOf(VaultException.class)
                .hasMessageContaining("x-channel-key");
    }

    @Test
    void sessionsLostBehindOurBackFailOneOperationClearlyThenAreReopened() throws Exception {
        Pkcs11Uri uri = Pkcs11Uri.parse(SoftHsm.uri(SoftHsm.TOKEN, "reset", "env:" + SoftHsm.PIN_ENV));
        try (Pkcs11Token token = Pkcs11Token.open(uri)) {
            Pkcs11SigningVault signing = new Pkcs11SigningVault(token, "reset");
            Pkcs11ChannelVault channel = new Pkcs11ChannelVault(token, "reset", new SoftwareVault(), false);
            SigningKeyHandle key = signing.generateSigningKey(KeyType.ECDSA_P256);
            AgreementKeyHandle ecdh = channel.generateAgreementKey(KeyType.P256_ECDH, Persistence.PERSISTENT);
            signing.sign(key, new byte[] {1});

            TokenProbe.closeAllSessionsBehindOurBack(token);
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> signing.sign(key, new byte[] {2})).isInstanceOf(VaultException.class)
                    .hasMessageContaining("closed the session or went away").hasMessageContaining("reopened on the next operation");
            // The next operations open new sessions, log in again, and find the keys again by id.
            byte[] sig = signing.sign(key, new byte[] {3});
            new org.hopseal.vault.software.SoftwareVerifier().verify(signing.publicKey(key), new byte[] {3}, sig);
            assertAgreesWithSoftware(channel, ecdh);
        }
    }
}
