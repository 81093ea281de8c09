package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the PKCS#11 vaults refuse, and that each refusal is the error it says. */
class Pkcs11RejectionTest {
    private static final byte[] P256_PRIVATE = HexFormat.of().parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");

    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    private static Vaults open(String object, boolean x25519OnToken) throws VaultException {
        return Vaults.open(SoftHsm.uri(SoftHsm.TOKEN, object, "env:" + SoftHsm.PIN_ENV) + (x25519OnToken ? "&x-channel-key=token" : ""));
    }

    private static ErrorKind kind(Throwable e) {
        return ((VaultException) e).kind();
    }

    @Test
    void signingHandlesThatNameNoKeyOrTheWrongTypeAreRefused() throws Exception {
        try (Vaults v = open("reject-signing", false)) {
            SigningKeyHandle key = v.identity().generateSigningKey(KeyType.ECDSA_P256);
            assertThatThrownBy(() -> v.identity().sign(new SigningKeyHandle("not hex", KeyType.ED25519), new byte[1]))
                    .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
            try (Vaults fresh = open("reject-signing", false)) {
                assertThatThrownBy(() -> fresh.identity().sign(new SigningKeyHandle(key.id(), KeyType.ED25519), new byte[1]))
                        .hasMessageContaining("is ECDSA_P256, not ED25519")
                        .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.INVALID));
            }
            v.identity().delete(key);
            assertThatThrownBy(() -> v.identity().publicKey(key)).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
            assertThat(v.identity().signingKeys()).doesNotContain(key);
        }
    }

    @Test
    void theSigningVaultNamesItsTokenAndLabelAndRefusesWorkOnceClosed() throws Exception {
        Pkcs11SigningVault v = Pkcs11SigningVault.open(SoftHsm.uri(SoftHsm.TOKEN, "reject-closed", "env:" + SoftHsm.PIN_ENV));
        assertThat(v.concurrency()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(v.toString()).contains(SoftHsm.TOKEN).contains("reject-closed").contains("ED25519").contains("ECDSA_P256");
        v.close();
        assertThatThrownBy(v::signingKeys).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.SHUTDOWN));
        assertThatThrownBy(() -> v.putRecord("r", new byte[1])).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.SHUTDOWN));
    }

    @Test
    void tokenKeysAreNotImportedUnlessTheyAreValidP256Keys() throws Exception {
        try (Vaults v = open("reject-import", true)) {
            assertThatThrownBy(() -> v.channel().importAgreementKey(KeyType.X25519, new byte[32], Persistence.PERSISTENT))
                    .hasMessageContaining("are not imported").satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.UNSUPPORTED));
            byte[] zero = new byte[32];
            assertThatThrownBy(() -> v.channel().importAgreementKey(KeyType.P256_ECDH, zero, Persistence.EPHEMERAL))
                    .hasMessageContaining("not a valid P-256 private key").satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.INVALID));
            AgreementKeyHandle imported = v.channel().importAgreementKey(KeyType.P256_ECDH, P256_PRIVATE, Persistence.EPHEMERAL);
            assertThat(imported.id()).startsWith(TokenProbe.TOKEN_KEY_PREFIX);
            assertThat(TokenProbe.tryReadPrivateValue(imported)).as("an imported key is sensitive too").isNull();
            AgreementKeyHandle inSoftware = v.channel().importAgreementKey(KeyType.X25519, new byte[32], Persistence.EPHEMERAL);
            assertThat(inSoftware.id()).doesNotStartWith(TokenProbe.TOKEN_KEY_PREFIX);
        }
    }

    @Test
    void channelHandlesThatNameNoTokenKeyOrTheWrongTypeAreNotFound() throws Exception {
        try (Vaults v = open("reject-channel", true)) {
            AgreementKeyHandle key = v.channel().generateAgreementKey(KeyType.P256_ECDH, Persistence.PERSISTENT);
            AgreementKeyHandle x = v.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            assertThat(v.channel().agreementKeys()).contains(key, x);
            try (Vaults fresh = open("reject-channel", true)) {
                assertThatThrownBy(() -> fresh.channel().publicKey(new AgreementKeyHandle(key.id(), KeyType.X25519)))
                        .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
                assertThat(fresh.channel().publicKey(key)).isEqualTo(v.channel().publicKey(key));
                assertThat(fresh.channel().agreementKeys()).contains(key, x);
            }
            assertThatThrownBy(() -> v.channel().publicKey(new AgreementKeyHandle("p11-zz", KeyType.P256_ECDH)))
                    .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
            PublicKey wrongType = new PublicKey(KeyType.X25519, new byte[32]);
            assertThatThrownBy(() -> v.channel().agree(key, wrongType)).hasMessageContaining("cannot agree a P256_ECDH key with a X25519 key")
                    .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.INVALID));
            assertThatThrownBy(() -> v.channel().agree(x, new PublicKey(KeyType.X25519, new byte[31])))
                    .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.INVALID));
            v.channel().delete(key);
            assertThat(v.channel().agreementKeys()).doesNotContain(key).contains(x);
            assertThatThrownBy(() -> v.channel().delete(key)).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
            assertThat(v.channel().toString()).contains(SoftHsm.TOKEN).contains("reject-channel").contains("x25519OnToken=true");
        }
    }

    @Test
    void typesTheTokenCannotDoAreUnsupportedAndNeverMadeInSoftware() throws Exception {
        try (Vaults v = open("reject-types", false)) {
            assertThat(v.channel().agreementKeyTypes()).containsExactlyInAnyOrder(KeyType.X25519, KeyType.P256_ECDH);
            assertThatThrownBy(() -> v.channel().generateAgreementKey(KeyType.ED25519, Persistence.EPHEMERAL))
                    .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.UNSUPPORTED));
            AgreementKeyHandle software = v.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            v.channel().delete(software);
            assertThatThrownBy(() -> v.channel().publicKey(software)).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
        }
    }
}
