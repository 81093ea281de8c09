package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DECRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DERIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ENCRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_LABEL;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_PRIVATE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN_RECOVER;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_UNWRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VENDOR_DEFINED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VERIFY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VERIFY_RECOVER;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_WRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_DATA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PUBLIC_KEY;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hopseal.api.vault.KeyHandle;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Token;
import org.xipki.pkcs11.wrapper.attrs.Attribute;

/**
 * Looks at a test token's objects directly, on sessions of its own, as an auditor with the PIN would: what the
 * tests check about the keys a vault made (can they be read out, what may they do) is asked of the token, not of the
 * vault. A key is found by its {@code CKA_ID}, the hex of its handle id (after {@code p11-} for channel keys). The
 * methods without a URI look at the SoftHSM test token.
 */
final class TokenProbe {
    /** Channel key handles on the token start with this; the others are the software vault's. */
    static final String TOKEN_KEY_PREFIX = "p11-";
    /** The usage attributes PKCS#11 defines for private keys and for public keys. */
    static final long[] PRIVATE_USAGE = {CKA_SIGN, CKA_SIGN_RECOVER, CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE};
    static final long[] PUBLIC_USAGE = {CKA_VERIFY, CKA_VERIFY_RECOVER, CKA_ENCRYPT, CKA_WRAP, CKA_DERIVE};
    /** tpm2-pkcs11's vendor attribute holding the key's TPM2B_PUBLIC, whose objectAttributes the TPM enforces. */
    static final long CKA_TPM2_PUB_BLOB = CKA_VENDOR_DEFINED | 0x0F00_0000L | 0x2L;
    /** TPMA_OBJECT bits (TPM 2.0 Part 2, 8.3). */
    static final int FIXED_TPM = 1 << 1;
    static final int FIXED_PARENT = 1 << 4;
    static final int SENSITIVE_DATA_ORIGIN = 1 << 5;
    static final int USER_WITH_AUTH = 1 << 6;
    static final int DECRYPT = 1 << 17;
    static final int SIGN_ENCRYPT = 1 << 18;

    static {
        Attribute.putAttributeValueType(CKA_TPM2_PUB_BLOB, Attribute.AttrType.BYTEARRAY);
    }

    private TokenProbe() {
    }

    private static String softHsm() {
        return SoftHsm.uri(SoftHsm.TOKEN, "probe", "env:" + SoftHsm.PIN_ENV);
    }

    /** Whether a channel key handle names a key on the token. */
    static boolean isTokenKey(KeyHandle handle) {
        return handle.id().startsWith(TOKEN_KEY_PREFIX);
    }

    /** The {@code CKA_VALUE} of the key's private object on the SoftHSM test token, or {@code null} when it refuses. */
    static byte[] tryReadPrivateValue(KeyHandle key) throws Exception {
        return tryReadPrivateValue(softHsm(), key);
    }

    /** The {@code CKA_VALUE} of the key's private object, or {@code null} when the token refuses to give it. */
    static byte[] tryReadPrivateValue(String probeUri, KeyHandle key) throws Exception {
        return onSession(probeUri, s -> {
            long object = find(s, key, CKO_PRIVATE_KEY);
            try {
                return s.getAttrValues(object, CKA_VALUE).value();
            } catch (PKCS11Exception refused) {
                return null;
            }
        });
    }

    /**
     * The usage attributes ({@link KeyUsage#ALL}) of the key's private or public object on the SoftHSM test token, each
     * read on its own; those PKCS#11 does not define for the object's class are left out.
     */
    static Map<Long, Boolean> usage(KeyHandle key, boolean privatePart) throws Exception {
        return onSession(softHsm(), s -> {
            long object = find(s, key, privatePart ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY);
            Map<Long, Boolean> out = new LinkedHashMap<>();
            for (long type : KeyUsage.ALL) {
                Boolean value = s.getAttrValues(object, type).getBooleanAttrValue(type);
                if (value != null) {
                    out.put(type, value);
                }
            }
            return out;
        });
    }

    /**
     * The usage attributes PKCS#11 defines for the object's class ({@link #PRIVATE_USAGE}, {@link #PUBLIC_USAGE}) as
     * the token reports them: a token may report others too (tpm2-pkcs11 gives private keys a {@code CKA_ENCRYPT}),
     * which mean nothing for the class and are left out.
     */
    static Map<Long, Boolean> definedUsage(String probeUri, KeyHandle key, boolean privatePart) throws Exception {
        return onSession(probeUri, s -> {
            long object = find(s, key, privatePart ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY);
            Map<Long, Boolean> out = new LinkedHashMap<>();
            for (long type : privatePart ? PRIVATE_USAGE : PUBLIC_USAGE) {
                Boolean value = s.getAttrValues(object, type).getBooleanAttrValue(type);
                if (value != null) {
                    out.put(type, value);
                }
            }
            return out;
        });
    }

    /** The TPMA_OBJECT attributes of the TPM object behind a key on a tpm2-pkcs11 token: what the TPM itself enforces. */
    static int tpmObjectAttributes(String probeUri, KeyHandle key) throws Exception {
        byte[] blob = onSession(probeUri, s -> s.getAttrValues(find(s, key, CKO_PRIVATE_KEY), CKA_TPM2_PUB_BLOB)
                .getByteArrayAttrValue(CKA_TPM2_PUB_BLOB));
        // TPM2B_PUBLIC: UINT16 size, then TPMT_PUBLIC: TPMI_ALG_PUBLIC type, TPMI_ALG_HASH nameAlg, TPMA_OBJECT (UINT32).
        return ByteBuffer.wrap(blob, 6, 4).getInt();
    }

    /** A record as it is on the token: a data object named by its label, private (read only after login) or not. */
    record StoredRecord(String name, boolean isPrivate) {
    }

    /** Every record on the token (data objects) whose application is {@code application}, one per object. */
    static List<StoredRecord> records(String probeUri, String application) throws Exception {
        return onSession(probeUri, s -> {
            List<StoredRecord> out = new ArrayList<>();
            for (long h : s.findObjectsSingle(new AttributeVector().class_(CKO_DATA).application(application), 1_000)) {
                AttributeVector a = s.getAttrValues(h, CKA_LABEL, CKA_PRIVATE);
                out.add(new StoredRecord(a.label(), a.private_()));
            }
            return out;
        });
    }

    /** Stores a record as a public data object, as versions of the vault before records were private did. */
    static void putPublicRecord(String probeUri, String application, String name, byte[] value) throws Exception {
        onSession(probeUri, s -> s.createObject(new AttributeVector().class_(CKO_DATA).application(application).label(name)
                .token(true).private_(false).value(value)));
    }

    /** Closes every session of this process on the token behind the vaults' back, as a token reset would. */
    static void closeAllSessionsBehindOurBack(Pkcs11Token token) throws Exception {
        token.withSession("close every session", s -> {
            Token t = s.getToken();
            try {
                t.getSlot().getModule().getPKCS11Module().C_CloseAllSessions(t.getSlot().getSlotID());
            } catch (Exception e) {
                throw new AssertionError("could not close the sessions", e);
            }
            return null;
        });
    }

    private static long find(Session s, KeyHandle key, long objectClass) throws PKCS11Exception {
        String hex = isTokenKey(key) ? key.id().substring(TOKEN_KEY_PREFIX.length()) : key.id();
        long[] found = s.findObjectsSingle(new AttributeVector().class_(objectClass).id(HexFormat.of().parseHex(hex)), 2);
        if (found.length != 1) {
            throw new AssertionError(found.length + " objects of class " + objectClass + " for key " + key.id() + " on the token");
        }
        return found[0];
    }

    private static <T> T onSession(String probeUri, Pkcs11Token.SessionCall<T> call) throws Exception {
        try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Uri.parse(probeUri))) {
            return token.withSession("probe the token", call);
        }
    }
}
