package org.hopseal.vault.pkcs11;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DECRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DERIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN_RECOVER;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_UNWRAP;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.KeyUsageContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The key usage kit on the TPM token. The private half of an identity key is checked as on SoftHSM, on the usage
 * attributes PKCS#11 defines for private keys. The public half is not: tpm2-pkcs11 reports the TPM object's sign
 * and decrypt bits on it as {@code CKA_ENCRYPT} and {@code CKA_VERIFY}, so it reads "encrypts, does not verify"
 * whatever a template says ({@link KeyUsage}); {@code TpmTokenTest} checks that, and what the TPM itself enforces.
 * Every channel key on this token is a software key (it offers no ECDH), which keeps no usage attributes.
 */
class TpmKeyUsageContractTest extends KeyUsageContract {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final Map<Long, Usage> USAGES = Map.of(CKA_SIGN, Usage.SIGN, CKA_SIGN_RECOVER, Usage.SIGN_RECOVER,
            CKA_DECRYPT, Usage.DECRYPT, CKA_UNWRAP, Usage.UNWRAP, CKA_DERIVE, Usage.DERIVE);

    @BeforeAll
    static void token() {
        SwTpm.require();
    }

    @Override
    protected Vaults openVaults() throws Exception {
        return new Pkcs11VaultProvider().open(VaultSpec.parse(SwTpm.uri(SwTpm.TOKEN, "usage-" + RUN.incrementAndGet(), "env:" + SwTpm.PIN_ENV)));
    }

    @Override
    protected Optional<Set<Usage>> usages(KeyHandle key, boolean privatePart) throws Exception {
        if (!(key instanceof SigningKeyHandle) || !privatePart) {
            return Optional.empty();
        }
        Set<Usage> granted = EnumSet.noneOf(Usage.class);
        TokenProbe.definedUsage(TpmTokenTest.PROBE, key, true).forEach((type, value) -> {
            if (value) {
                granted.add(USAGES.get(type));
            }
        });
        return Optional.of(granted);
    }
}
