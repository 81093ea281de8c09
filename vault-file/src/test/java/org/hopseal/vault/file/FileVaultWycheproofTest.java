package org.hopseal.vault.file;

import java.nio.file.Files;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.WycheproofContract;
import org.hopseal.vault.software.SoftwareVerifier;

class FileVaultWycheproofTest extends WycheproofContract {
    @Override
    protected Vaults openVaults() throws Exception {
        FileVault v = FileVault.open(Files.createTempDirectory("wycheproof").resolve("v.vault"), "pass".toCharArray(), FileVaultContractTest.FAST, true);
        return new Vaults(v, v, new SoftwareVerifier());
    }
}
