package org.hopseal.api.error;

/**
 * A vault operation failed. Vault modules may subclass it.
 *
 * @since 0.1
 */
public non-sealed class VaultException extends HopsealException {
    public VaultException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public VaultException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
