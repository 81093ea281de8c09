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

import org.xipki.pkcs11.wrapper.AttributeVector;

/**
 * The usage attributes of every key Hopseal puts on a token, set explicitly so that no key can do more than its one
 * job whatever the token's defaults (SoftHSM, for one, makes EC private keys decrypt, unwrap and sign by default).
 *
 * <p>Only the attributes PKCS#11 defines for each object class are set (a private key has no {@code CKA_ENCRYPT},
 * a public key no {@code CKA_SIGN}), so that a standard token has no reason to refuse a template; {@code CKA_PRIVATE}
 * is left to the token on public keys.
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
