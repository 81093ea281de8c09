package org.hopseal.vault.file;

import java.nio.file.Path;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.VaultContract;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.io.TempDir;

class FileVaultContractTest extends VaultContract {
    /** Cheap parameters keep the suite fast; FileVaultTest checks the defaults. */
    static final KdfParameters FAST = new KdfParameters(8 * 1024, 1, 1);

    @TempDir
    Path dir;

    @Override
    protected Vaults openVaults() throws Exception {
        FileVault v = FileVault.open(dir.resolve("contract-" + System.nanoTime() + ".vault"), "pass".toCharArray(), FAST);
        return new Vaults(v, v, new SoftwareVerifier());
    }
}
