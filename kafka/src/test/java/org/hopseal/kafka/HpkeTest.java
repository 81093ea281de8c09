package org.hopseal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.Vaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HpkeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] INFO = "hopseal test info".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD = "aad".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private Vaults vaults;

    @BeforeEach
    void open() throws Exception {
        vaults = Vaults.open("software");
    }

    @AfterEach
    void close() {
        vaults.close();
    }

    @Test
    void sealMatchesRfc9180VectorA1() throws Exception {
        Map<String, byte[]> v = vectorA1();
        AgreementKeyHandle ephemeral = vaults.channel().importAgreementKey(KeyType.X25519, v.get("skEm"), Persistence.EPHEMERAL);

        Hpke.Sealed sealed = new Hpke(vaults.channel(), AeadAlgorithm.AES_128_GCM)
                .sealWith(ephemeral, new PublicKey(KeyType.X25519, v.get("pkRm")), v.get("info"), v.get("aad"), v.get("pt"));

        assertThat(HEX.formatHex(sealed.enc())).isEqualTo(HEX.formatHex(v.get("enc")));
        assertThat(HEX.formatHex(sealed.ciphertext())).isEqualTo(HEX.formatHex(v.get("ct")));
    }

    @Test
    void openMatchesRfc9180VectorA1() throws Exception {
        Map<String, byte[]> v = vectorA1();
        AgreementKeyHandle recipient = vaults.channel().importAgreementKey(KeyType.X25519, v.get("skRm"), Persistence.EPHEMERAL);

        byte[] opened = new Hpke(vaults.channel(), AeadAlgorithm.AES_128_GCM).open(recipient, v.get("enc"), v.get("info"), v.get("aad"), v.get("ct"));

        assertThat(opened).isEqualTo(v.get("pt"));
    }

    @Test
    void bouncyCastleOpensWhatHopsealSealsWithAes256Gcm() throws Exception {
        HPKE bc = bouncyCastle();
        AsymmetricCipherKeyPair recipient = bc.generatePrivateKey();
        PublicKey recipientPublic = new PublicKey(KeyType.X25519, bc.serializePublicKey(recipient.getPublic()));

        Hpke.Sealed sealed = new Hpke(vaults.channel(), AeadAlgorithm.AES_256_GCM).seal(recipientPublic, INFO, AAD, DATA_KEY);

        assertThat(bc.open(sealed.enc(), recipient, INFO, AAD, sealed.ciphertext(), null, null, null)).isEqualTo(DATA_KEY);
        assertThat(sealed.ciphertext()).hasSize(DATA_KEY.length + 16);
    }

    @Test
    void hopsealOpensWhatBouncyCastleSealsWithAes256Gcm() throws Exception {
        AgreementKeyHandle recipient = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        HPKE bc = bouncyCastle();
        byte[][] sealed = bc.seal(bc.deserializePublicKey(vaults.channel().publicKey(recipient).bytes()), INFO, AAD, DATA_KEY, null, null, null);

        assertThat(new Hpke(vaults.channel(), AeadAlgorithm.AES_256_GCM).open(recipient, sealed[1], INFO, AAD, sealed[0])).isEqualTo(DATA_KEY);
    }

    @Test
    void anyChangedInputFailsToOpenAlike() throws Exception {
        Hpke hpke = new Hpke(vaults.channel(), AeadAlgorithm.AES_256_GCM);
        AgreementKeyHandle recipient = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        AgreementKeyHandle other = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        Hpke.Sealed sealed = hpke.seal(vaults.channel().publicKey(recipient), INFO, AAD, DATA_KEY);
        assertThat(hpke.open(recipient, sealed.enc(), INFO, AAD, sealed.ciphertext())).isEqualTo(DATA_KEY);

        assertFailsToOpen(() -> hpke.open(other, sealed.enc(), INFO, AAD, sealed.ciphertext()));
        assertFailsToOpen(() -> hpke.open(recipient, flip(sealed.enc(), 3), INFO, AAD, sealed.ciphertext()));
        assertFailsToOpen(() -> hpke.open(recipient, sealed.enc(), flip(INFO, 0), AAD, sealed.ciphertext()));
        assertFailsToOpen(() -> hpke.open(recipient, sealed.enc(), INFO, flip(AAD, 2), sealed.ciphertext()));
        assertFailsToOpen(() -> hpke.open(recipient, sealed.enc(), INFO, AAD, flip(sealed.ciphertext(), 0)));
        assertFailsToOpen(() -> hpke.open(recipient, sealed.enc(), INFO, AAD, flip(sealed.ciphertext(), sealed.ciphertext().length - 1)));
        assertFailsToOpen(() -> new Hpke(vaults.channel(), AeadAlgorithm.AES_128_GCM).open(recipient, sealed.enc(), INFO, AAD, sealed.ciphertext()));
    }

    @Test
    void lowOrderOrShortEncFailsToOpenLikeAnyOther() throws Exception {
        Hpke hpke = new Hpke(vaults.channel(), AeadAlgorithm.AES_256_GCM);
        AgreementKeyHandle recipient = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        byte[] ciphertext = new byte[48];

        assertFailsToOpen(() -> hpke.open(recipient, new byte[32], INFO, AAD, ciphertext));
        assertFailsToOpen(() -> hpke.open(recipient, new byte[31], INFO, AAD, ciphertext));
        assertFailsToOpen(() -> hpke.open(recipient, new byte[33], INFO, AAD, ciphertext));
    }

    @Test
    void sealRefusesARecipientKeyThatIsNotX25519() throws Exception {
        Hpke hpke = new Hpke(vaults.channel(), AeadAlgorithm.AES_256_GCM);

        assertThatThrownBy(() -> hpke.seal(new PublicKey(KeyType.P256_ECDH, new byte[32]), INFO, AAD, DATA_KEY))
                .isInstanceOf(VaultException.class).hasMessage("an HPKE recipient key here is a 32-byte X25519 key");
        assertThatThrownBy(() -> hpke.seal(new PublicKey(KeyType.X25519, new byte[31]), INFO, AAD, DATA_KEY))
                .isInstanceOf(VaultException.class).hasMessage("an HPKE recipient key here is a 32-byte X25519 key");
    }

    @Test
    void sealingAndOpeningLeaveNothingBehindInTheVaultAlsoWhenOpeningFails() throws Exception {
        CountingVault counting = new CountingVault(vaults.channel());
        Hpke hpke = new Hpke(counting, AeadAlgorithm.AES_256_GCM);
        AgreementKeyHandle recipient = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);

        Hpke.Sealed sealed = hpke.seal(vaults.channel().publicKey(recipient), INFO, AAD, DATA_KEY);
        assertThat(counting.live()).isEmpty();
        hpke.open(recipient, sealed.enc(), INFO, AAD, sealed.ciphertext());
        assertThat(counting.live()).isEmpty();
        assertFailsToOpen(() -> hpke.open(recipient, sealed.enc(), INFO, AAD, flip(sealed.ciphertext(), 0)));
        assertThat(counting.live()).isEmpty();
    }

    private interface Opening {
        byte[] open() throws Exception;
    }

    private static void assertFailsToOpen(Opening opening) {
        assertThatThrownBy(opening::open).isInstanceOf(AuthenticationFailedException.class).hasMessage("authentication failed");
    }

    private static byte[] flip(byte[] in, int index) {
        byte[] out = in.clone();
        out[index] ^= 1;
        return out;
    }

    private static HPKE bouncyCastle() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM256);
    }

    private static Map<String, byte[]> vectorA1() throws IOException {
        Map<String, byte[]> values = new HashMap<>();
        try (InputStream in = HpkeTest.class.getResourceAsStream("/hpke/rfc9180-a1.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] kv = line.split(": ");
                values.put(kv[0], HEX.parseHex(kv[1].strip()));
            }
        }
        return values;
    }
}
