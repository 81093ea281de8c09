package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_CLASS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EC_PARAMS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_KEY_TYPE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ARGUMENTS_BAD;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_READ_ONLY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_TYPE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_VALUE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_CURVE_NOT_SUPPORTED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DEVICE_MEMORY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DOMAIN_PARAMS_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_FUNCTION_NOT_SUPPORTED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_GENERAL_ERROR;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_KEY_FUNCTION_NOT_PERMITTED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_KEY_TYPE_INCONSISTENT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_MECHANISM_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_MECHANISM_PARAM_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TEMPLATE_INCOMPLETE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TEMPLATE_INCONSISTENT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.ckaCodeToName;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.ckkCodeToName;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.ckoCodeToName;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.ckrCodeToName;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;
import org.hopseal.api.error.ErrorKind;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.attrs.Attribute;

/**
 * What a token's refusal means, in words: the operation it refused, with the attributes Hopseal gave it, the token,
 * and what the return code says. A token never says which attribute it disliked, so the message lists the ones given
 * (values of secrets and records as lengths only, never their bytes).
 */
final class Refusal {
    private static final Map<Long, String> MEANINGS = Map.ofEntries(
            Map.entry(CKR_ATTRIBUTE_VALUE_INVALID, "the token does not accept the value given for one of these attributes"),
            Map.entry(CKR_ATTRIBUTE_TYPE_INVALID, "the token does not know one of these attributes"),
            Map.entry(CKR_ATTRIBUTE_READ_ONLY, "the token does not let one of these attributes be set"),
            Map.entry(CKR_ATTRIBUTE_SENSITIVE, "the token keeps the attribute asked for secret"),
            Map.entry(CKR_TEMPLATE_INCONSISTENT, "the token finds these attributes inconsistent with each other"),
            Map.entry(CKR_TEMPLATE_INCOMPLETE, "the token needs an attribute that is not among these"),
            Map.entry(CKR_MECHANISM_INVALID, "the token does not offer this mechanism"),
            Map.entry(CKR_MECHANISM_PARAM_INVALID, "the token does not accept this mechanism's parameters"),
            Map.entry(CKR_FUNCTION_NOT_SUPPORTED, "the token does not offer this function"),
            Map.entry(CKR_KEY_FUNCTION_NOT_PERMITTED, "the key's usage attributes do not permit this"),
            Map.entry(CKR_KEY_TYPE_INCONSISTENT, "the key is not of a type this mechanism takes"),
            Map.entry(CKR_DOMAIN_PARAMS_INVALID, "the token does not accept these curve parameters"),
            Map.entry(CKR_CURVE_NOT_SUPPORTED, "the token does not offer this curve"),
            Map.entry(CKR_ARGUMENTS_BAD, "the token finds the arguments bad"),
            Map.entry(CKR_DEVICE_MEMORY, "the token is out of memory"),
            Map.entry(CKR_GENERAL_ERROR, "the token gives no reason; its own log may say more (tpm2-pkcs11 logs to standard error)"));
    private Refusal() {
    }

    /** The return code's name and what it means, e.g. {@code CKR_ATTRIBUTE_VALUE_INVALID (the token does not ...)}. */
    static String explain(long code) {
        String meaning = MEANINGS.get(code);
        return ckrCodeToName(code) + (meaning == null ? "" : " (" + meaning + ")");
    }

    /**
     * The kind of error a refusal is: {@code UNSUPPORTED} when the token will not do what was asked (an attribute,
     * a template, a mechanism), {@code UNAVAILABLE} when it is out of memory, else {@code INTERNAL}.
     */
    static ErrorKind kind(long code) {
        if (code == CKR_DEVICE_MEMORY) {
            return ErrorKind.UNAVAILABLE;
        }
        boolean unsupported = code == CKR_ATTRIBUTE_VALUE_INVALID || code == CKR_ATTRIBUTE_TYPE_INVALID || code == CKR_ATTRIBUTE_READ_ONLY
                || code == CKR_TEMPLATE_INCONSISTENT || code == CKR_TEMPLATE_INCOMPLETE || code == CKR_MECHANISM_INVALID
                || code == CKR_MECHANISM_PARAM_INVALID || code == CKR_FUNCTION_NOT_SUPPORTED || code == CKR_KEY_FUNCTION_NOT_PERMITTED
                || code == CKR_KEY_TYPE_INCONSISTENT || code == CKR_DOMAIN_PARAMS_INVALID || code == CKR_CURVE_NOT_SUPPORTED;
        return unsupported ? ErrorKind.UNSUPPORTED : ErrorKind.INTERNAL;
    }

    /** A template as {@code CKA_NAME=value, ...}: booleans and numbers as such, ids in hex, secrets and records by length. */
    static String describe(AttributeVector template) {
        StringJoiner out = new StringJoiner(", ");
        for (Attribute a : template.snapshot()) {
            out.add(ckaCodeToName(a.type()) + "=" + value(a));
        }
        return out.toString();
    }

    private static String value(Attribute a) {
        Object v = a.getValue();
        long type = a.type();
        if (type == CKA_CLASS && v instanceof Long l) {
            return ckoCodeToName(l);
        }
        if (type == CKA_KEY_TYPE && v instanceof Long l) {
            return ckkCodeToName(l);
        }
        if (v instanceof byte[] b) {
            if (type == CKA_VALUE) {
                // A private key being imported, or a record: never in a message.
                return "(" + b.length + " bytes)";
            }
            if (type == CKA_EC_PARAMS) {
                return curve(b);
            }
            return type == CKA_ID || b.length <= 32 ? HexFormat.of().formatHex(b) : "(" + b.length + " bytes)";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(v);
    }

    private static String curve(byte[] params) {
        if (Arrays.equals(params, EcKeys.P256_PARAMS)) {
            return "P-256";
        }
        if (Arrays.equals(params, EcKeys.ED25519_OID_PARAMS)) {
            return "Ed25519 (OID)";
        }
        if (Arrays.equals(params, EcKeys.X25519_OID_PARAMS)) {
            return "X25519 (OID)";
        }
        if (params.length > 2 && params[0] == 0x13) {
            return "'" + new String(params, 2, params.length - 2, StandardCharsets.US_ASCII) + "'";
        }
        return HexFormat.of().formatHex(params);
    }
}
