package org.hopseal.vault.file;

import java.nio.file.Path;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.conformance.VaultContract;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.io.TempDir;

class FileVaultContractTest extends VaultContract {
    /**
     * Cheap parameters keep the suite fast. They are below the minimum for new vaults, so tests create files through
     * the package-private, test-only {@code FileVault.open(..., true)}; FileVaultTest checks the defaults and the
     * minimum.
     */
    static final KdfParameters FAST = new KdfParameters(8 * 1024, 1, 1);

    @TempDir
    Path dir;

    @Override
    protected Vaults openVaults() throws Exception {
        FileVault v = FileVault.open(dir.resolve("contract-" + System.nanoTime() + ".vault"), "pass".toCharArray(), FAST, true);
        return new Vaults(v, v, new SoftwareVerifier());
    }
}
