package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PUBLIC_KEY;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hopseal.api.vault.KeyHandle;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Token;

/**
 * Looks at the test token's objects directly, on sessions of its own, as an auditor with the PIN would: what the
 * tests check about the keys a vault made (can they be read out, what may they do) is asked of the token, not of the
 * vault. A key is found by its {@code CKA_ID}, the hex of its handle id (after {@code p11-} for channel keys).
 */
final class TokenProbe {
    /** Channel key handles on the token start with this; the others are the software vault's. */
    static final String TOKEN_KEY_PREFIX = "p11-";

    private TokenProbe() {
    }

    /** Whether a channel key handle names a key on the token. */
    static boolean isTokenKey(KeyHandle handle) {
        return handle.id().startsWith(TOKEN_KEY_PREFIX);
    }

    /** The {@code CKA_VALUE} of the key's private object, or {@code null} when the token refuses to give it. */
    static byte[] tryReadPrivateValue(KeyHandle key) throws Exception {
        return onSession(s -> {
            long object = find(s, key, CKO_PRIVATE_KEY);
            try {
                return s.getAttrValues(object, CKA_VALUE).value();
            } catch (PKCS11Exception refused) {
                return null;
            }
        });
    }

    /**
     * The usage attributes ({@link KeyUsage#ALL}) of the key's private or public object as the token reports them,
     * each read on its own; those PKCS#11 does not define for the object's class are left out.
     */
    static Map<Long, Boolean> usage(KeyHandle key, boolean privatePart) throws Exception {
        return onSession(s -> {
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

    /** Closes every session of this process on the token behind the vaults' back, as a token reset would. */
    static void closeAllSessionsBehindOurBack(Pkcs11Token token) throws Exception {
        token.withSession(s -> {
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

    private static <T> T onSession(Pkcs11Token.SessionCall<T> call) throws Exception {
        try (Pkcs11Token token = Pkcs11Token.open(Pkcs11Uri.parse(SoftHsm.uri(SoftHsm.TOKEN, "probe", "env:" + SoftHsm.PIN_ENV)))) {
            return token.withSession(call);
        }
    }
}
