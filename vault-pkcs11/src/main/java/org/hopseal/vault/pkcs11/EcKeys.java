package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_POINT;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/** The {@code CKA_EC_PARAMS} and {@code CKA_EC_POINT} encodings of the curves Hopseal keeps on tokens, and key ids. */
final class EcKeys {
    /** OID 1.2.840.10045.3.1.7 (P-256). */
    static final byte[] P256_PARAMS = HexFormat.of().parseHex("06082a8648ce3d030107");
    /** OID 1.3.101.112 (Ed25519), as PKCS#11 3.0 names it. */
    static final byte[] ED25519_OID_PARAMS = HexFormat.of().parseHex("06032b6570");
    /** PrintableString "edwards25519", as tokens before PKCS#11 3.0 (SoftHSM 2.6) name it. */
    static final byte[] ED25519_NAME_PARAMS = HexFormat.of().parseHex("130c656477617264733235353139");
    /** OID 1.3.101.110 (X25519), as PKCS#11 3.0 names it. */
    static final byte[] X25519_OID_PARAMS = HexFormat.of().parseHex("06032b656e");
    /** PrintableString "curve25519", as SoftHSM 2.6 names it. */
    static final byte[] X25519_NAME_PARAMS = HexFormat.of().parseHex("130a63757276653235353139");
    private static final SecureRandom RANDOM = new SecureRandom();

    private EcKeys() {
    }

    /** A new random 16-byte {@code CKA_ID}. */
    static byte[] newId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return id;
    }

    /** A point as the DER OCTET STRING that {@code CKA_EC_POINT} holds (points here are shorter than 128 bytes). */
    static byte[] octetString(byte[] point) {
        byte[] out = new byte[point.length + 2];
        out[0] = 0x04;
        out[1] = (byte) point.length;
        System.arraycopy(point, 0, out, 2, point.length);
        return out;
    }

    /** The public key of a token's public (or private) EC object, from its {@code CKA_EC_POINT}. */
    static PublicKey readPublic(Session s, long handle, KeyType type) throws PKCS11Exception, VaultException {
        byte[] point = s.getAttrValues(handle, CKA_EC_POINT).ecPoint();
        int expected = type == KeyType.ED25519 || type == KeyType.X25519 ? 32 : 65;
        // CKA_EC_POINT is a DER OCTET STRING around the point; some tokens give the bare point.
        if (point != null && point.length == expected + 2 && point[0] == 0x04 && (point[1] & 0xFF) == expected) {
            point = Arrays.copyOfRange(point, 2, point.length);
        }
        if (point == null || point.length != expected) {
            throw new VaultException(ErrorKind.INVALID, "unexpected " + type + " public key encoding from the token");
        }
        return new PublicKey(type, point);
    }
}
