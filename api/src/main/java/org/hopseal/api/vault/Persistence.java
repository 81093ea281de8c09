package org.hopseal.api.vault;

/**
 * Whether a key outlives its vault session. A persistent vault (file, PKCS#11) stores persistent keys; ephemeral keys
 * never touch the disk or the token.
 *
 * @since 0.1
 */
public enum Persistence {
    /** Kept in memory only, until deleted or until the vault closes: for one handshake or one channel. */
    EPHEMERAL,
    /** Stored where the vault stores keys, so that it is there again when the vault is next opened. */
    PERSISTENT
}
