package org.hopseal.vault.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_DATA;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ARGUMENTS_BAD;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_READ_ONLY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_TYPE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_VALUE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_CURVE_NOT_SUPPORTED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DEVICE_ERROR;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DEVICE_MEMORY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_DOMAIN_PARAMS_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_FUNCTION_NOT_SUPPORTED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_GENERAL_ERROR;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_KEY_FUNCTION_NOT_PERMITTED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_KEY_TYPE_INCONSISTENT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_MECHANISM_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_MECHANISM_PARAM_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_OBJECT_HANDLE_INVALID;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TEMPLATE_INCOMPLETE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TEMPLATE_INCONSISTENT;

import java.util.HexFormat;
import org.hopseal.api.error.ErrorKind;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;

class RefusalTest {
    @Test
    void aTemplateIsDescribedAttributeByAttributeWithoutRecordOrKeyBytes() {
        AttributeVector record = new AttributeVector().class_(CKO_DATA).token(true).private_(false).application("hopseal:alice")
                .label("identity/alice").value(new byte[] {1, 2, 3, 4, 5});
        assertThat(Refusal.describe(record)).isEqualTo("CKA_CLASS=CKO_DATA, CKA_TOKEN=true, CKA_PRIVATE=false,"
                + " CKA_APPLICATION='hopseal:alice', CKA_LABEL='identity/alice', CKA_VALUE=(5 bytes)");
        AttributeVector key = AttributeVector.newPrivateKey(CKK_EC).id(new byte[] {(byte) 0xab, 1}).ecParams(EcKeys.P256_PARAMS)
                .value(new byte[32]);
        assertThat(Refusal.describe(key)).isEqualTo("CKA_CLASS=CKO_PRIVATE_KEY, CKA_KEY_TYPE=CKK_EC, CKA_ID=ab01, CKA_EC_PARAMS=P-256,"
                + " CKA_VALUE=(32 bytes)");
        assertThat(Refusal.describe(new AttributeVector())).isEmpty();
    }

    @Test
    void curvesAreNamedAndOtherBytesShownInHexUpToThirtyTwo() {
        assertThat(Refusal.describe(new AttributeVector().ecParams(EcKeys.ED25519_OID_PARAMS))).isEqualTo("CKA_EC_PARAMS=Ed25519 (OID)");
        assertThat(Refusal.describe(new AttributeVector().ecParams(EcKeys.X25519_OID_PARAMS))).isEqualTo("CKA_EC_PARAMS=X25519 (OID)");
        assertThat(Refusal.describe(new AttributeVector().ecParams(EcKeys.ED25519_NAME_PARAMS))).isEqualTo("CKA_EC_PARAMS='edwards25519'");
        assertThat(Refusal.describe(new AttributeVector().ecParams(EcKeys.X25519_NAME_PARAMS))).isEqualTo("CKA_EC_PARAMS='curve25519'");
        assertThat(Refusal.describe(new AttributeVector().ecParams(new byte[] {6, 1, 2}))).isEqualTo("CKA_EC_PARAMS=060102");
        assertThat(Refusal.describe(new AttributeVector().ecParams(new byte[] {0x13}))).isEqualTo("CKA_EC_PARAMS=13");
        assertThat(Refusal.describe(new AttributeVector().ecParams(new byte[] {0x13, 0}))).isEqualTo("CKA_EC_PARAMS=1300");
        assertThat(Refusal.describe(new AttributeVector().ecParams(new byte[] {0x13, 1, 'x'}))).isEqualTo("CKA_EC_PARAMS='x'");
        assertThat(Refusal.describe(new AttributeVector().ecPoint(new byte[32]))).isEqualTo("CKA_EC_POINT=" + "00".repeat(32));
        assertThat(Refusal.describe(new AttributeVector().ecPoint(new byte[33]))).isEqualTo("CKA_EC_POINT=(33 bytes)");
        byte[] longId = new byte[40];
        assertThat(Refusal.describe(new AttributeVector().id(longId))).isEqualTo("CKA_ID=" + HexFormat.of().formatHex(longId));
        assertThat(Refusal.describe(new AttributeVector().valueLen(32))).isEqualTo("CKA_VALUE_LEN=32");
    }

    @Test
    void aCodeIsNamedAndExplained() {
        assertThat(Refusal.explain(CKR_ATTRIBUTE_VALUE_INVALID))
                .isEqualTo("CKR_ATTRIBUTE_VALUE_INVALID (the token does not accept the value given for one of these attributes)");
        assertThat(Refusal.explain(CKR_GENERAL_ERROR)).startsWith("CKR_GENERAL_ERROR (the token gives no reason");
        assertThat(Refusal.explain(CKR_OBJECT_HANDLE_INVALID)).isEqualTo("CKR_OBJECT_HANDLE_INVALID");
        for (long code : new long[] {CKR_ATTRIBUTE_TYPE_INVALID, CKR_ATTRIBUTE_READ_ONLY, CKR_ATTRIBUTE_SENSITIVE, CKR_TEMPLATE_INCONSISTENT,
            CKR_TEMPLATE_INCOMPLETE, CKR_MECHANISM_INVALID, CKR_MECHANISM_PARAM_INVALID, CKR_FUNCTION_NOT_SUPPORTED,
            CKR_KEY_FUNCTION_NOT_PERMITTED, CKR_KEY_TYPE_INCONSISTENT, CKR_DOMAIN_PARAMS_INVALID, CKR_CURVE_NOT_SUPPORTED,
            CKR_ARGUMENTS_BAD, CKR_DEVICE_MEMORY}) {
            assertThat(Refusal.explain(code)).as("code %x", code).matches("CKR_[A-Z_]+ \\(.+\\)");
        }
    }

    @Test
    void whatTheTokenWillNotDoIsUnsupportedItsMemoryUnavailableTheRestInternal() {
        for (long code : new long[] {CKR_ATTRIBUTE_VALUE_INVALID, CKR_ATTRIBUTE_TYPE_INVALID, CKR_ATTRIBUTE_READ_ONLY, CKR_TEMPLATE_INCONSISTENT,
            CKR_TEMPLATE_INCOMPLETE, CKR_MECHANISM_INVALID, CKR_MECHANISM_PARAM_INVALID, CKR_FUNCTION_NOT_SUPPORTED,
            CKR_KEY_FUNCTION_NOT_PERMITTED, CKR_KEY_TYPE_INCONSISTENT, CKR_DOMAIN_PARAMS_INVALID, CKR_CURVE_NOT_SUPPORTED}) {
            assertThat(Refusal.kind(code)).as("code %x", code).isEqualTo(ErrorKind.UNSUPPORTED);
        }
        assertThat(Refusal.kind(CKR_DEVICE_MEMORY)).isEqualTo(ErrorKind.UNAVAILABLE);
        for (long code : new long[] {CKR_GENERAL_ERROR, CKR_DEVICE_ERROR, CKR_OBJECT_HANDLE_INVALID, CKR_ARGUMENTS_BAD, CKR_ATTRIBUTE_SENSITIVE}) {
            assertThat(Refusal.kind(code)).as("code %x", code).isEqualTo(ErrorKind.INTERNAL);
        }
    }
}
