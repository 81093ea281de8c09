package org.hopseal.vault.pkcs11;

import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.VaultContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit through the pkcs11 provider: identity and P-256 ECDH keys on a SoftHSM token, persistent
 * X25519 keys on the token too ({@code x-channel-key=token}), the rest in software.
 */
class Pkcs11VaultContractTest extends VaultContract {
    private static final AtomicInteger RUN = new AtomicInteger();

    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    @Override
    protected Vaults openVaults() throws Exception {
        // A label of its own per test: a label names one identity's key, and each test makes its own.
        return new Pkcs11VaultProvider().open(VaultSpec.parse(SoftHsm.uri(SoftHsm.TOKEN, "contract-" + RUN.incrementAndGet(),
                "env:" + SoftHsm.PIN_ENV) + "&x-channel-key=token"));
    }
}
