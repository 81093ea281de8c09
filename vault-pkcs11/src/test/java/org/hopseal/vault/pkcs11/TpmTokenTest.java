package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DECRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DERIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ENCRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN_RECOVER;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_UNWRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VERIFY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VERIFY_RECOVER;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_WRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_DATA;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;

/**
 * The PKCS#11 vault on a TPM 2.0 through tpm2-pkcs11, a token written independently of SoftHSM: what it offers is
 * discovered, what it refuses is named, and what the TPM itself enforces on the keys is read from its own object.
 */
class TpmTokenTest {
    /** The probe's own label; it makes no keys. */
    static final String PROBE = SwTpm.uri(SwTpm.TOKEN, "probe", "env:" + SwTpm.PIN_ENV);
    private static final AtomicInteger RUN = new AtomicInteger();

    @BeforeAll
    static void token() {
        SwTpm.require();
    }

    /** A label no other test uses. */
    private static String label(String name) {
        return name + "-" + RUN.incrementAndGet();
    }

    private static Vaults open(String object) throws VaultException {
        return Vaults.open(SwTpm.uri(SwTpm.TOKEN, object, "env:" + SwTpm.PIN_ENV));
    }

    @Test
    void capabilitiesAreDiscoveredNotAssumed() throws Exception {
        try (Vaults v = open(label("caps"))) {
            assertThat(v.identity().signingKeyTypes()).as("no EdDSA on a TPM").containsExactly(KeyType.ECDSA_P256);
            assertThat(v.channel().agreementKeyTypes()).as("no ECDH derivation through tpm2-pkcs11 1.9.0").containsExactly(KeyType.X25519);
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> v.identity().generateSigningKey(KeyType.ED25519)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("token '" + SwTpm.TOKEN + "' cannot generate ED25519").hasMessageContaining("nothing was created in software");
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> v.channel().generateAgreementKey(KeyType.P256_ECDH, Persistence.PERSISTENT))
                    .isInstanceOf(VaultException.class).hasMessageContaining("token '" + SwTpm.TOKEN + "' cannot derive with P256_ECDH");
            AgreementKeyHandle x = v.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            assertThat(x.id()).as("the static X25519 key is a software key").doesNotStartWith(TokenProbe.TOKEN_KEY_PREFIX);
        }
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> Vaults.open(SwTpm.uri(SwTpm.TOKEN, label("x"), "env:" + SwTpm.PIN_ENV) + "&x-channel-key=token"))
                .isInstanceOf(VaultException.class).hasMessageContaining("x-channel-key=token").hasMessageContaining(SwTpm.TOKEN)
                .hasMessageContaining("no X25519 derivation");
    }

    @Test
    void anIdentityKeyIsATpmSigningKeyThatNeverLeavesTheTpm() throws Exception {
        try (Vaults v = open(label("tpm-object"))) {
            SigningKeyHandle k = v.identity().generateSigningKey(KeyType.ECDSA_P256);
            byte[] sig = v.identity().sign(k, "signed in the TPM".getBytes());
            new SoftwareVerifier().verify(v.identity().publicKey(k), "signed in the TPM".getBytes(), sig);

            int attributes = TokenProbe.tpmObjectAttributes(PROBE, k);
            assertThat(attributes & TokenProbe.SIGN_ENCRYPT).as("the TPM object signs").isNotZero();
            assertThat(attributes & TokenProbe.DECRYPT).as("the TPM object cannot decrypt, so no ECDH either").isZero();
            assertThat(attributes & TokenProbe.FIXED_TPM).as("fixedTPM: never duplicated out of this TPM").isNotZero();
            assertThat(attributes & TokenProbe.FIXED_PARENT).as("fixedParent").isNotZero();
            assertThat(attributes & TokenProbe.SENSITIVE_DATA_ORIGIN).as("the TPM made the private key").isNotZero();
            assertThat(TokenProbe.tryReadPrivateValue(PROBE, k)).as("CKA_VALUE of the private key").isNull();

            assertThat(TokenProbe.definedUsage(PROBE, k, true)).as("the private half signs and does nothing else")
                    .isEqualTo(Map.of(CKA_SIGN, true, CKA_SIGN_RECOVER, false, CKA_DECRYPT, false, CKA_UNWRAP, false, CKA_DERIVE, false));
            // tpm2-pkcs11 reports the TPM object's decrypt bit as CKA_VERIFY and its sign bit as CKA_ENCRYPT on the
            // public half too; the rest is as Hopseal set it. Signatures are verified in software.
            assertThat(TokenProbe.definedUsage(PROBE, k, false)).isEqualTo(Map.of(CKA_VERIFY, false, CKA_VERIFY_RECOVER, false,
                    CKA_ENCRYPT, true, CKA_WRAP, false, CKA_DERIVE, false));
        }
    }

    @Test
    void tpm2Pkcs11IsKnownToTieThePublicUsageAndAnyTokenThatRefusesTheFullTemplateIsLearnedToDoSo() throws Exception {
        String label = label("tied");
        try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Uri.parse(SwTpm.uri(SwTpm.TOKEN, label, "env:" + SwTpm.PIN_ENV)))) {
            assertThat(token.library()).contains("TPM2.0 Cryptoki").endsWith("tpm2-software.github.io");
            assertThat(token.publicUsageTied()).as("known from its library info").isTrue();
            // As a token not known to tie them: the full template is refused, and the one that leaves them is taken.
            token.publicUsageTied(false);
            Pkcs11SigningVault v = new Pkcs11SigningVault(token, label);
            SigningKeyHandle first = v.generateSigningKey(KeyType.ECDSA_P256);
            assertThat(token.publicUsageTied()).as("learned from the refusal").isTrue();
            SigningKeyHandle second = v.generateSigningKey(KeyType.ECDSA_P256);
            assertThat(v.signingKeys()).containsExactlyInAnyOrder(first, second);
            assertThat(TokenProbe.definedUsage(PROBE, first, true)).containsEntry(CKA_SIGN, true).containsEntry(CKA_DECRYPT, false);
        }
    }

    @Test
    void keysAndRecordsAreFoundAgainByANewSessionAndRecordsArePrivateObjects() throws Exception {
        String label = label("persist");
        SigningKeyHandle k;
        PublicKey pub;
        try (Vaults v = open(label)) {
            k = v.identity().generateSigningKey(KeyType.ECDSA_P256);
            pub = v.identity().publicKey(k);
            v.identity().putRecord("identity/alice", new byte[] {7, 8, 9});
            v.identity().putRecord("identity/alice", new byte[] {1});
            v.identity().putRecord("identity/gone", new byte[] {2});
            v.identity().deleteRecord("identity/gone");
        }
        try (Vaults v = open(label)) {
            assertThat(v.identity().find(pub)).contains(k);
            byte[] sig = v.identity().sign(k, new byte[] {4});
            new SoftwareVerifier().verify(pub, new byte[] {4}, sig);
            assertThat(v.identity().record("identity/alice")).hasValueSatisfying(r -> assertThat(r).containsExactly(1));
            assertThat(v.identity().recordNames()).containsExactly("identity/alice");
        }
        assertThat(TokenProbe.records(PROBE, "hopseal:" + label)).containsExactly(new TokenProbe.StoredRecord("identity/alice", true));
    }

    @Test
    void aRefusalNamesTheTokenTheOperationAndTheAttributesItWasGiven() throws Exception {
        try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Uri.parse(PROBE))) {
            AttributeVector publicRecord = new AttributeVector().class_(CKO_DATA).application("hopseal:probe").label("r").token(true)
                    .private_(false).value(new byte[] {1, 2, 3});
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> token.withSession("store a public record (C_CreateObject: "
                    + Refusal.describe(publicRecord) + ")", s -> s.createObject(publicRecord))).isInstanceOf(VaultException.class)
                    .hasMessageStartingWith("token '" + SwTpm.TOKEN + "' (TPM2.0 Cryptoki")
                    .hasMessageContaining("refused to store a public record (C_CreateObject: CKA_CLASS=CKO_DATA")
                    .hasMessageContaining("CKA_PRIVATE=false").hasMessageContaining("CKA_VALUE=(3 bytes)")
                    .hasMessageContaining("CKR_ATTRIBUTE_VALUE_INVALID (the token does not accept the value given for one of these attributes)");
        }
    }

    @Test
    void aWrongPinIsAClearErrorAndIsNotRetried() throws Exception {
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> Vaults.open(SwTpm.uri(SwTpm.OTHER_TOKEN, "x", "env:HOPSEAL_TEST_WRONG_PIN")))
                .isInstanceOf(VaultException.class).hasMessageContaining("wrong PIN for token '" + SwTpm.OTHER_TOKEN + "'");
        Vaults.open(SwTpm.uri(SwTpm.OTHER_TOKEN, "x", "env:" + SwTpm.PIN_ENV)).close();
    }
}
