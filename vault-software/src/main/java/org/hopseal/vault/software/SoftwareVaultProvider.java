package org.hopseal.vault.software;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.VaultProvider;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;

/**
 * The {@code software} vault: a fresh in-memory vault for every role. Its spec takes no arguments.
 *
 * @since 0.1
 */
public final class SoftwareVaultProvider implements VaultProvider {
    @Override
    public String name() {
        return "software";
    }

    @Override
    public Vaults open(VaultSpec spec) throws VaultException {
        if (!spec.rest().isEmpty()) {
            throw new VaultException(ErrorKind.INVALID, "the software vault takes no arguments, got '" + spec + "'");
        }
        return SoftwareVault.vaults();
    }
}
