package org.hopseal.vault.software.store;

import org.hopseal.api.error.VaultException;

/**
 * Where a persistent software vault keeps its persistent key pairs and records (the file vault is one). Given to
 * {@link org.hopseal.vault.software.SoftwareVault#persistent} by whoever creates the vault; nobody else can reach it.
 *
 * <p>This is the one place where private key bytes leave a software vault, so the seam is narrow: the package is
 * exported only to the file vault's module, the vault calls {@link #save} with its whole persistent state after every
 * change of it, one call at a time, and wipes the state's private keys as soon as {@code save} returns.
 */
@FunctionalInterface
public interface VaultStore {
    /**
     * Stores {@code state}, replacing what was stored before; on return it must be durable. The private keys in
     * {@code state} are wiped when this returns: keep no reference to them. If this throws, the vault undoes the
     * change, so that memory and storage never disagree.
     */
    void save(StoredState state) throws VaultException;
}
