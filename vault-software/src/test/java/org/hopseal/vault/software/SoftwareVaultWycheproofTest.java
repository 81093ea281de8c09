package org.hopseal.vault.software;

import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.WycheproofContract;

class SoftwareVaultWycheproofTest extends WycheproofContract {
    @Override
    protected Vaults openVaults() {
        return SoftwareVault.vaults();
    }
}
