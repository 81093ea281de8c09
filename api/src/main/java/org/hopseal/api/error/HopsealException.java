package org.hopseal.api.error;

import java.util.Objects;

/**
 * Root of Hopseal's checked exceptions. Every failure carries an {@link ErrorKind}; messages name the problem and,
 * where there is one, the fix. Messages never contain secret material.
 *
 * <p>Programming errors (calling a handshake out of turn, a {@code null} argument) stay unchecked.
 *
 * @since 0.1
 */
public abstract sealed class HopsealException extends Exception
        permits RoutingException, DecodeException, HopsealTimeoutException, VaultException, HandshakeException,
                IdentityException, AuthenticationFailedException, CredentialException, PolicyException {

    private final ErrorKind kind;

    protected HopsealException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    protected HopsealException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /** The kind of failure. */
    public ErrorKind kind() {
        return kind;
    }
}
