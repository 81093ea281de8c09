package org.hopseal.api.error;

/**
 * A vault operation failed. Vault modules may subclass it.
 *
 * @since 0.1
 */
public non-sealed class VaultException extends HopsealException {
    /**
     * A failure without an underlying cause.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong in the vault, for people; never secret material
     */
    public VaultException(ErrorKind kind, String message) {
        super(kind, message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong in the vault, for people; never secret material
     * @param cause the underlying failure, or {@code null} if there is none
     */
    public VaultException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
