package org.hopseal.api.error;

/**
 * A credential, an enrollment ticket or an authority's answer was rejected: malformed, tampered with, from an
 * authority not trusted, for another subject, or outside its validity.
 *
 * @since 0.3
 */
public non-sealed class CredentialException extends HopsealException {
    /**
     * A failure without an underlying cause.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong with the credential, ticket or answer, for people; never secret material
     */
    public CredentialException(ErrorKind kind, String message) {
        super(kind, message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong with the credential, ticket or answer, for people; never secret material
     * @param cause the underlying failure, or {@code null} if there is none
     */
    public CredentialException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
