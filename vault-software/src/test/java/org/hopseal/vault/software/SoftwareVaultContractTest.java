package org.hopseal.vault.software;

import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.VaultContract;

class SoftwareVaultContractTest extends VaultContract {
    @Override
    protected Vaults openVaults() {
        return SoftwareVault.vaults();
    }
}
