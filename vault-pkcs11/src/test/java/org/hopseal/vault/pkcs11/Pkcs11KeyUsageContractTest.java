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

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.KeyUsageContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The key usage kit on a SoftHSM token: the usage attributes of every generated (and imported) key are read back
 * from its private and public objects, with the static X25519 key on the token too ({@code x-channel-key=token}).
 */
class Pkcs11KeyUsageContractTest extends KeyUsageContract {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final Map<Long, Usage> USAGES = Map.of(CKA_SIGN, Usage.SIGN, CKA_SIGN_RECOVER, Usage.SIGN_RECOVER,
            CKA_VERIFY, Usage.VERIFY, CKA_VERIFY_RECOVER, Usage.VERIFY_RECOVER, CKA_ENCRYPT, Usage.ENCRYPT,
            CKA_DECRYPT, Usage.DECRYPT, CKA_WRAP, Usage.WRAP, CKA_UNWRAP, Usage.UNWRAP, CKA_DERIVE, Usage.DERIVE);

    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    @Override
    protected Vaults openVaults() throws Exception {
        // A label of its own per test: a label names one identity's key.
        return new Pkcs11VaultProvider().open(VaultSpec.parse(SoftHsm.uri(SoftHsm.TOKEN, "usage-" + RUN.incrementAndGet(),
                "env:" + SoftHsm.PIN_ENV) + "&x-channel-key=token"));
    }

    @Override
    protected Optional<Set<Usage>> usages(KeyHandle key, boolean privatePart) throws Exception {
        Map<Long, Boolean> attributes;
        if (key instanceof SigningKeyHandle || key instanceof AgreementKeyHandle && TokenProbe.isTokenKey(key)) {
            attributes = TokenProbe.usage(key, privatePart);
        } else {
            return Optional.empty();
        }
        Set<Usage> granted = EnumSet.noneOf(Usage.class);
        attributes.forEach((type, value) -> {
            if (value) {
                granted.add(USAGES.get(type));
            }
        });
        return Optional.of(granted);
    }
}
