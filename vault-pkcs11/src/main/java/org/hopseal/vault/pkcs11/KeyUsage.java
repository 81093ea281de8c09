package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DECRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DERIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ENCRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN_RECOVER;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_UNWRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VERIFY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VERIFY_RECOVER;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_WRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.ckaCodeToName;

import java.util.Optional;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.Session;

/**
 * The usage attributes of every key Hopseal puts on a token, set explicitly so that no key can do more than its one
 * job whatever the token's defaults (SoftHSM, for one, makes EC private keys decrypt, unwrap and sign by default).
 *
 * <p>Only the attributes PKCS#11 defines for each object class are set (a private key has no {@code CKA_ENCRYPT},
 * a public key no {@code CKA_SIGN}), so that a standard token has no reason to refuse a template; {@code CKA_PRIVATE}
 * is left to the token on public keys.
 *
 * <p>A TPM through tpm2-pkcs11 keeps a key pair as one TPM object with one "sign" bit and one "decrypt" bit, and
 * reports them on both halves: {@code CKA_SIGN} and {@code CKA_ENCRYPT} are the sign bit, {@code CKA_DECRYPT} and
 * {@code CKA_VERIFY} the decrypt bit. It refuses a public key template whose {@code CKA_VERIFY} or
 * {@code CKA_ENCRYPT} differ from the private key's bits, so on such a token the public half of an identity key
 * leaves those two to the token ({@link #signingPublicTied}): it then reads {@code CKA_VERIFY} false and
 * {@code CKA_ENCRYPT} true, which grants nothing (signatures are verified in software, and no EC encryption
 * mechanism exists on the token). What matters, the private half, is checked after every generation
 * ({@link #requireSigningOnly}).
 */
final class KeyUsage {
    /** Every usage attribute of either class, for reading back what a token made of a template. */
    static final long[] ALL = {CKA_SIGN, CKA_SIGN_RECOVER, CKA_VERIFY, CKA_VERIFY_RECOVER, CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP,
        CKA_UNWRAP, CKA_DERIVE};

    private KeyUsage() {
    }

    /** An identity key's private half: signs, and nothing else. */
    static AttributeVector signingPrivate(AttributeVector v) {
        return v.sign(true).signRecover(false).decrypt(false).unwrap(false).derive(false);
    }

    /** An identity key's public half: verifies, and nothing else. */
    static AttributeVector signingPublic(AttributeVector v) {
        return v.verify(true).verifyRecover(false).encrypt(false).wrap(false).derive(false);
    }

    /**
     * An identity key's public half on a token that ties {@code CKA_VERIFY} and {@code CKA_ENCRYPT} to the private
     * key's usage (tpm2-pkcs11): those two are left to the token, the others set as {@link #signingPublic} sets them.
     */
    static AttributeVector signingPublicTied(AttributeVector v) {
        return v.verifyRecover(false).wrap(false).derive(false);
    }

    /**
     * How a new identity key's private half differs from {@link #signingPrivate} as the token reports it, e.g.
     * {@code CKA_DECRYPT=true}, or empty: it must sign, and must not sign-recover, decrypt, unwrap or derive (an
     * attribute the token does not report counts as not granted).
     */
    static Optional<String> signingPrivateDeviation(Session s, long privateKey) throws PKCS11Exception {
        AttributeVector a = s.getAttrValues(privateKey, CKA_SIGN, CKA_SIGN_RECOVER, CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE);
        if (!Boolean.TRUE.equals(a.sign())) {
            return Optional.of("CKA_SIGN=" + a.sign());
        }
        for (long type : new long[] {CKA_SIGN_RECOVER, CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE}) {
            if (Boolean.TRUE.equals(a.getBooleanAttrValue(type))) {
                return Optional.of(ckaCodeToName(type) + "=true");
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps a new identity key pair only if its private half, as the token reports it, signs and does nothing else
     * ({@link #signingPrivateDeviation}); otherwise destroys both halves and says which attribute the token set.
     */
    static void requireSigningOnly(Session s, PKCS11KeyPair pair, Pkcs11Token token, KeyType type) throws PKCS11Exception, VaultException {
        Optional<String> deviation = signingPrivateDeviation(s, pair.getPrivateKey());
        if (deviation.isPresent()) {
            s.destroyObject(pair.getPrivateKey());
            s.destroyObject(pair.getPublicKey());
            throw new VaultException(ErrorKind.UNSUPPORTED, "token '" + token.label() + "' (" + token.library() + ") made the new "
                    + type + " key's private half " + deviation.get() + " although Hopseal asked otherwise; the key was destroyed"
                    + " (an identity key signs and does nothing else)");
        }
    }

    /** An ECDH or X25519 key's private half: derives, and nothing else. */
    static AttributeVector agreementPrivate(AttributeVector v) {
        return v.derive(true).sign(false).signRecover(false).decrypt(false).unwrap(false);
    }

    /** An ECDH or X25519 key's public half: kept for its point only; it does nothing. */
    static AttributeVector agreementPublic(AttributeVector v) {
        return v.derive(false).verify(false).verifyRecover(false).encrypt(false).wrap(false);
    }

    /** The shared secret an ECDH derivation gives: read once and destroyed, never used as a key on the token. */
    static AttributeVector derivedSecret(AttributeVector v) {
        return v.encrypt(false).decrypt(false).sign(false).verify(false).wrap(false).unwrap(false).derive(false);
    }
}
