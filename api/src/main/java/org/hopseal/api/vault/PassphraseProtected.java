package org.hopseal.api.vault;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;

/**
 * A vault whose keys are encrypted under a passphrase (the {@code file} vault), which can be changed. Opened through
 * {@link Vaults#open}, such a vault is found with {@code vaults.identity() instanceof PassphraseProtected p}. A
 * PKCS#11 token is not one: its PIN is changed with the token's own tools.
 *
 * @since 0.1
 */
public interface PassphraseProtected {
    /**
     * Re-encrypts the vault's keys under {@code newPassphrase}, which is wiped before this returns. The change is
     * atomic: until it is complete the old passphrase stays in force, and if it fails, the old passphrase stays in
     * force and no key is lost.
     *
     * @param newPassphrase the new passphrase, wiped however this ends
     * @throws VaultException {@link ErrorKind#INVALID} for an empty passphrase;
     *     {@link ErrorKind#UNSUPPORTED} if the vault was opened read-only;
     *     {@link ErrorKind#UNAVAILABLE} if the new file could not be written
     */
    void changePassphrase(char[] newPassphrase) throws VaultException;
}
