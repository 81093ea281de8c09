package org.hopseal.vault.pkcs11;

import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.VaultContract;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.BeforeAll;

/** The conformance kit with identity keys on a SoftHSM token (channel operations stay in software). */
class Pkcs11VaultContractTest extends VaultContract {
    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    @Override
    protected Vaults openVaults() throws Exception {
        return new Vaults(Pkcs11SigningVault.open(SoftHsm.uri(SoftHsm.TOKEN, "contract", "env:" + SoftHsm.PIN_ENV)),
                new SoftwareVault(), new SoftwareVerifier());
    }
}
