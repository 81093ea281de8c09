package org.hopseal.api.vault;

/**
 * Whether a key outlives its vault session. A persistent vault (file, PKCS#11) stores persistent keys; ephemeral keys
 * never touch the disk or the token.
 *
 * @since 0.1
 */
public enum Persistence {
    EPHEMERAL,
    PERSISTENT
}
