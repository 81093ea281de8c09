package org.hopseal.api.error;

/**
 * An identity, its change history, an attestation or a trust decision was rejected.
 *
 * @since 0.1
 */
public non-sealed class IdentityException extends HopsealException {
    public IdentityException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public IdentityException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
