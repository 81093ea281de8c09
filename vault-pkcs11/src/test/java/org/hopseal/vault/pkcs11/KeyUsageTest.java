package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_EC_KEY_PAIR_GEN;

import java.util.List;
import java.util.function.UnaryOperator;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;

/** A new identity key is kept only if its private half signs and does nothing else, whatever the token made of the template. */
class KeyUsageTest {
    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    private static Pkcs11Token open() throws VaultException {
        return Pkcs11Token.open(Pkcs11Uri.parse(SoftHsm.uri(SoftHsm.TOKEN, "usage-check", "env:" + SoftHsm.PIN_ENV)));
    }

    /** Makes a P-256 pair whose private half is {@link KeyUsage#signingPrivate} changed by {@code widen}, and checks it. */
    private static void check(Pkcs11Token token, byte[] id, UnaryOperator<AttributeVector> widen) throws VaultException {
        token.withSession("make and check a key pair", s -> {
            AttributeVector priv = widen.apply(KeyUsage.signingPrivate(AttributeVector.newPrivateKey(CKK_EC).token(true).private_(true)
                    .sensitive(true).extractable(false).id(id).label("usage-check")));
            AttributeVector pub = KeyUsage.signingPublic(AttributeVector.newPublicKey(CKK_EC).token(true).id(id).label("usage-check"))
                    .ecParams(EcKeys.P256_PARAMS);
            PKCS11KeyPair pair = s.generateKeyPair(new Mechanism(CKM_EC_KEY_PAIR_GEN), new KeyPairTemplate(priv, pub));
            KeyUsage.requireSigningOnly(s, pair, token, KeyType.ECDSA_P256);
            return null;
        });
    }

    private static int objectsWithId(Pkcs11Token token, byte[] id) throws VaultException {
        return token.withSession("count objects", s -> s.findObjectsSingle(new AttributeVector().id(id), 10).length);
    }

    @Test
    void aPrivateHalfThatDoesMoreThanSignIsDestroyedAndTheAttributeNamed() throws Exception {
        List<Object[]> widenings = List.<Object[]>of(
                new Object[] {"CKA_DECRYPT=true", (UnaryOperator<AttributeVector>) v -> v.decrypt(true)},
                new Object[] {"CKA_DERIVE=true", (UnaryOperator<AttributeVector>) v -> v.derive(true)},
                new Object[] {"CKA_UNWRAP=true", (UnaryOperator<AttributeVector>) v -> v.unwrap(true)},
                new Object[] {"CKA_SIGN_RECOVER=true", (UnaryOperator<AttributeVector>) v -> v.signRecover(true)},
                new Object[] {"CKA_SIGN=false", (UnaryOperator<AttributeVector>) v -> v.sign(false)});
        try (Pkcs11Token token = open()) {
            for (Object[] w : widenings) {
                byte[] id = EcKeys.newId();
                @SuppressWarnings("unchecked")
                UnaryOperator<AttributeVector> widen = (UnaryOperator<AttributeVector>) w[1];
                assertHopsealError(ErrorKind.UNSUPPORTED, () -> check(token, id, widen)).isInstanceOf(VaultException.class)
                        .hasMessageContaining("token '" + SoftHsm.TOKEN + "' (").hasMessageContaining("made the new ECDSA_P256 key's private half "
                                + w[0]).hasMessageContaining("the key was destroyed");
                assertThat(objectsWithId(token, id)).as("both halves destroyed after %s", w[0]).isZero();
            }
        }
    }

    @Test
    void aPrivateHalfThatOnlySignsIsKept() throws Exception {
        try (Pkcs11Token token = open()) {
            byte[] id = EcKeys.newId();
            check(token, id, UnaryOperator.identity());
            assertThat(objectsWithId(token, id)).isEqualTo(2);
        }
    }

    @Test
    void softHsmTakesTheFullPublicTemplate() throws Exception {
        try (Pkcs11Token token = open()) {
            assertThat(token.publicUsageTied()).isFalse();
            assertThat(token.library()).contains("SoftHSM");
            Pkcs11SigningVault v = new Pkcs11SigningVault(token, "usage-full-" + System.nanoTime());
            v.generateSigningKey(KeyType.ECDSA_P256);
            v.generateSigningKey(KeyType.ED25519);
            assertThat(token.publicUsageTied()).as("nothing was refused, nothing learned").isFalse();
        }
    }
}
