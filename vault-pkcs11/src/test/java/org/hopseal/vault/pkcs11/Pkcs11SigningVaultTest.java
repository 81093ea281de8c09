package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;
import static org.hopseal.testing.HopsealAssertions.thrownKind;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs11SigningVaultTest {
    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    /** Keys labelled {@code label}; a label names one identity's key, so each test that makes keys has its own. */
    private static Pkcs11SigningVault open(String label) throws VaultException {
        return Pkcs11SigningVault.open(SoftHsm.uri(SoftHsm.TOKEN, label, "env:" + SoftHsm.PIN_ENV));
    }

    private static ErrorKind kindOf(String uri) {
        return thrownKind(() -> Pkcs11SigningVault.open(uri).close());
    }

    @Test
    void bothKeyTypesAreOfferedBySoftHsmAndSignaturesVerifyInSoftware() throws Exception {
        try (Pkcs11SigningVault v = open("tests-types")) {
            assertThat(v.signingKeyTypes()).containsExactlyInAnyOrder(KeyType.ED25519, KeyType.ECDSA_P256);
            for (KeyType t : v.signingKeyTypes()) {
                SigningKeyHandle k = v.generateSigningKey(t);
                byte[] sig = v.sign(k, "on the token".getBytes());
                assertThat(sig).hasSize(64);
                new SoftwareVerifier().verify(v.publicKey(k), "on the token".getBytes(), sig);
            }
        }
    }

    @Test
    void privateKeysCannotBeReadOut() throws Exception {
        try (Pkcs11SigningVault v = open("tests-sensitive")) {
            for (KeyType t : v.signingKeyTypes()) {
                SigningKeyHandle k = v.generateSigningKey(t);
                assertThat(TokenProbe.tryReadPrivateValue(k)).as("CKA_VALUE of a sensitive, non-extractable key").isNull();
            }
        }
    }

    @Test
    void keysAndRecordsAreFoundAgainByANewSession() throws Exception {
        SigningKeyHandle k;
        org.hopseal.api.vault.PublicKey pub;
        try (Pkcs11SigningVault v = open("tests-persist")) {
            k = v.generateSigningKey(KeyType.ECDSA_P256);
            pub = v.publicKey(k);
            v.putRecord("identity/test", new byte[] {7, 8, 9});
            v.putRecord("identity/test", new byte[] {1});
        }
        try (Pkcs11SigningVault v = open("tests-persist")) {
            assertThat(v.find(pub)).contains(k);
            assertThat(v.record("identity/test")).hasValueSatisfying(r -> assertThat(r).containsExactly(1));
            assertThat(v.recordNames()).contains("identity/test");
        }
    }

    @Test
    void aDeletedRecordIsGoneForANewSessionAndOtherLabelsKeepTheirs() throws Exception {
        try (Pkcs11SigningVault other = open("tests-delete-other"); Pkcs11SigningVault v = open("tests-delete")) {
            other.putRecord("identity/shared-name", new byte[] {3});
            v.putRecord("identity/shared-name", new byte[] {4});
            v.putRecord("identity/keep", new byte[] {5});
            v.deleteRecord("identity/shared-name");
            v.deleteRecord("identity/never-stored");
        }
        try (Pkcs11SigningVault other = open("tests-delete-other"); Pkcs11SigningVault v = open("tests-delete")) {
            assertThat(v.recordNames()).containsExactly("identity/keep");
            assertThat(v.record("identity/shared-name")).isEmpty();
            assertThat(other.record("identity/shared-name")).hasValueSatisfying(r -> assertThat(r).containsExactly(3));
        }
    }

    @Test
    void aRecordAnEarlierVersionStoredAsAPublicObjectIsFoundAndReplacedByAPrivateOne() throws Exception {
        String probe = SoftHsm.uri(SoftHsm.TOKEN, "probe", "env:" + SoftHsm.PIN_ENV);
        String application = "hopseal:tests-public-record";
        TokenProbe.putPublicRecord(probe, application, "identity/old", new byte[] {6});
        try (Pkcs11SigningVault v = open("tests-public-record")) {
            assertThat(v.record("identity/old")).hasValueSatisfying(r -> assertThat(r).containsExactly(6));
            assertThat(v.recordNames()).containsExactly("identity/old");
            v.putRecord("identity/old", new byte[] {7});
            assertThat(v.record("identity/old")).hasValueSatisfying(r -> assertThat(r).containsExactly(7));
        }
        assertThat(TokenProbe.records(probe, application)).as("the public object is gone, a private one holds the record")
                .containsExactly(new TokenProbe.StoredRecord("identity/old", true));
    }

    @Test
    void wrongPinIsAClearErrorAndIsNotRetried() throws Exception {
        assertThat(kindOf(SoftHsm.uri(SoftHsm.OTHER_TOKEN, "x", "env:HOPSEAL_TEST_WRONG_PIN"))).isEqualTo(ErrorKind.AUTHENTICATION);
        // The token is not locked: the right PIN still works after a wrong one.
        Pkcs11SigningVault.open(SoftHsm.uri(SoftHsm.OTHER_TOKEN, "x", "env:" + SoftHsm.PIN_ENV)).close();
    }

    @Test
    void missingModuleTokenKeyOrMechanismAreEachNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Pkcs11SigningVault.open("pkcs11:token=x?module-path=/nonexistent/lib.so&pin-source=env:" + SoftHsm.PIN_ENV))
                .isInstanceOf(VaultException.class).hasMessageContaining("/nonexistent/lib.so").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Pkcs11SigningVault.open(SoftHsm.uri("no-such-token", "x", "env:" + SoftHsm.PIN_ENV)))
                .isInstanceOf(VaultException.class).hasMessageContaining("no-such-token").hasMessageContaining(SoftHsm.TOKEN);
        try (Pkcs11SigningVault v = open("tests-errors")) {
            assertHopsealError(ErrorKind.NOT_FOUND, () -> v.sign(new SigningKeyHandle("00112233", KeyType.ED25519), new byte[1]))
                    .isInstanceOf(VaultException.class);
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> v.generateSigningKey(KeyType.X25519))
                    .isInstanceOf(VaultException.class).hasMessageContaining("nothing was created in software");
        }
        assertThatThrownBy(() -> Pkcs11SigningVault.open("pkcs11:token=t?module-path=" + SoftHsm.MODULE + "&pin-value=1234"))
                .hasMessageContaining("pin-value is refused");
        Path pinFile = dir.resolve("pin");
        Files.writeString(pinFile, SoftHsm.PIN + "\n");
        Pkcs11SigningVault.open(SoftHsm.uri(SoftHsm.TOKEN, "x", "file:" + pinFile)).close();
    }

    @Test
    void providerIsFoundByName() throws Exception {
        try (Vaults v = Vaults.open(SoftHsm.uri(SoftHsm.TOKEN, "provider", "env:" + SoftHsm.PIN_ENV))) {
            assertThat(v.identity()).isInstanceOf(Pkcs11SigningVault.class);
            assertThat(v.identity().toString()).doesNotContain(SoftHsm.PIN);
        }
    }
}
