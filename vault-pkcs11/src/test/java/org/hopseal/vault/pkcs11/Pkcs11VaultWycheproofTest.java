package org.hopseal.vault.pkcs11;

import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.WycheproofContract;

/** Every Wycheproof case through the pkcs11 provider's vaults. */
class Pkcs11VaultWycheproofTest extends WycheproofContract {
    @Override
    protected Vaults openVaults() throws Exception {
        SoftHsm.require();
        return new Pkcs11VaultProvider().open(VaultSpec.parse(SoftHsm.uri(SoftHsm.TOKEN, "wycheproof", "env:" + SoftHsm.PIN_ENV)));
    }
}
