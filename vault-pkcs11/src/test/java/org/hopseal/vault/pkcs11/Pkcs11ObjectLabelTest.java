package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.util.concurrent.atomic.AtomicInteger;
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

/** {@code object=} names the keys (and records) a vault makes and the only ones it sees; one label, one identity key. */
class Pkcs11ObjectLabelTest {
    private static final AtomicInteger RUN = new AtomicInteger();

    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    /** A label no other test uses. */
    private static String label(String name) {
        return name + "-" + RUN.incrementAndGet();
    }

    private static Vaults open(String object) throws VaultException {
        return Vaults.open(SoftHsm.uri(SoftHsm.TOKEN, object, "env:" + SoftHsm.PIN_ENV) + "&x-channel-key=token");
    }

    @Test
    void aLabelThatNamesAnIdentityKeyIsRefusedForANewOneButARotationMayAddTheNext() throws Exception {
        String alice = label("alice");
        SigningKeyHandle first;
        PublicKey firstPublic;
        try (Vaults v = open(alice)) {
            first = v.identity().generateSigningKey(KeyType.ECDSA_P256);
            firstPublic = v.identity().publicKey(first);
        }
        for (KeyType type : new KeyType[] {KeyType.ECDSA_P256, KeyType.ED25519}) {
            try (Vaults again = open(alice)) {
                assertHopsealError(ErrorKind.ALREADY_EXISTS, () -> again.identity().generateSigningKey(type)).isInstanceOf(VaultException.class)
                        .hasMessageContaining("labelled '" + alice + "'").hasMessageContaining("object=")
                        .hasMessageContaining("no key was created");
                assertThat(again.identity().signingKeys()).as("nothing was added").containsExactly(first);
            }
        }
        // A rotation: the vault that opened the current key may add the next one beside it under the same label.
        try (Vaults rotating = open(alice)) {
            assertThat(rotating.identity().find(firstPublic)).contains(first);
            SigningKeyHandle next = rotating.identity().generateSigningKey(KeyType.ECDSA_P256);
            assertThat(rotating.identity().signingKeys()).containsExactlyInAnyOrder(first, next);
        }
        // The default label (no object=) is a label like any other.
        String bare = SoftHsm.uri(SoftHsm.TOKEN, "x", "env:" + SoftHsm.PIN_ENV).replace(";object=x", "");
        try (Vaults v = Vaults.open(bare)) {
            if (v.identity().signingKeys().isEmpty()) {
                v.identity().generateSigningKey(KeyType.ED25519);
            }
        }
        try (Vaults v = Vaults.open(bare)) {
            assertHopsealError(ErrorKind.ALREADY_EXISTS, () -> v.identity().generateSigningKey(KeyType.ED25519)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("labelled 'hopseal'");
        }
    }

    @Test
    void objectSelectsOnlyTheKeysAndRecordsSoLabelled() throws Exception {
        String alice = label("alice");
        String bob = label("bob");
        SigningKeyHandle aliceKey;
        PublicKey alicePublic;
        AgreementKeyHandle aliceEcdh;
        AgreementKeyHandle aliceStatic;
        try (Vaults v = open(alice)) {
            aliceKey = v.identity().generateSigningKey(KeyType.ED25519);
            alicePublic = v.identity().publicKey(aliceKey);
            aliceEcdh = v.channel().generateAgreementKey(KeyType.P256_ECDH, Persistence.PERSISTENT);
            aliceStatic = v.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            v.identity().putRecord("identity/alice", new byte[] {1});
        }
        SigningKeyHandle bobKey;
        AgreementKeyHandle bobStatic;
        try (Vaults v = open(bob)) {
            bobKey = v.identity().generateSigningKey(KeyType.ED25519);
            bobStatic = v.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            v.identity().putRecord("identity/bob", new byte[] {2});
        }
        try (Vaults v = open(bob)) {
            assertThat(v.identity().signingKeys()).containsExactly(bobKey);
            assertThat(v.identity().find(alicePublic)).isEmpty();
            assertHopsealError(ErrorKind.NOT_FOUND, () -> v.identity().sign(aliceKey, new byte[1])).isInstanceOf(VaultException.class);
            assertThat(v.channel().agreementKeys()).containsExactly(bobStatic);
            assertHopsealError(ErrorKind.NOT_FOUND, () -> v.channel().publicKey(aliceEcdh)).isInstanceOf(VaultException.class);
            assertThat(v.identity().recordNames()).containsExactly("identity/bob");
            assertThat(v.identity().record("identity/alice")).isEmpty();
            assertHopsealError(ErrorKind.NOT_FOUND, () -> v.identity().delete(aliceKey)).isInstanceOf(VaultException.class);
        }
        try (Vaults v = open(alice)) {
            assertThat(v.identity().signingKeys()).as("alice's ECDH key is not an identity key").containsExactly(aliceKey);
            assertThat(v.identity().find(alicePublic)).contains(aliceKey);
            assertThat(v.channel().agreementKeys()).containsExactlyInAnyOrder(aliceEcdh, aliceStatic);
            assertThat(v.identity().recordNames()).containsExactly("identity/alice");
        }
    }
}
