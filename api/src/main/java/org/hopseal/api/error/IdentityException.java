package org.hopseal.api.error;

/**
 * An identity, its change history, an attestation or a trust decision was rejected.
 *
 * @since 0.1
 */
public non-sealed class IdentityException extends HopsealException {
    /**
     * A failure without an underlying cause.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong with the identity, for people; never secret material
     */
    public IdentityException(ErrorKind kind, String message) {
        super(kind, message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong with the identity, for people; never secret material
     * @param cause the underlying failure, or {@code null} if there is none
     */
    public IdentityException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
