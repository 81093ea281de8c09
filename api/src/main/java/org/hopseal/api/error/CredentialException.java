package org.hopseal.api.error;

/**
 * A credential, an enrollment ticket or an authority's answer was rejected: malformed, tampered with, from an
 * authority not trusted, for another subject, or outside its validity.
 *
 * @since 0.3
 */
public non-sealed class CredentialException extends HopsealException {
    public CredentialException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public CredentialException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
