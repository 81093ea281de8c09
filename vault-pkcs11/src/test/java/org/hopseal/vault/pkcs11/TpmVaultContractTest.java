package org.hopseal.vault.pkcs11;

import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.VaultContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit through the pkcs11 provider on a second, independent token: a TPM 2.0 (swtpm) through
 * tpm2-pkcs11, which offers ECDSA P-256 but neither EdDSA nor ECDH, so the identity key is a P-256 key on the TPM
 * and every channel key is in software (the static one attested by the TPM's key).
 */
class TpmVaultContractTest extends VaultContract {
    private static final AtomicInteger RUN = new AtomicInteger();

    @BeforeAll
    static void token() {
        SwTpm.require();
    }

    @Override
    protected Vaults openVaults() throws Exception {
        // A label of its own per test: a label names one identity's key, and each test makes its own.
        return new Pkcs11VaultProvider().open(VaultSpec.parse(SwTpm.uri(SwTpm.TOKEN, "contract-" + RUN.incrementAndGet(),
                "env:" + SwTpm.PIN_ENV)));
    }
}
