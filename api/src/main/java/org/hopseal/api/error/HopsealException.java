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

    /** What kind of failure this is; never {@code null}. */
    private final ErrorKind kind;

    /**
     * A failure of {@code kind} caused by another exception.
     *
     * @param kind what kind of failure it is; never {@code null}
     * @param message what went wrong and, where there is one, the fix; never secret material
     * @param cause the underlying failure, or {@code null} if there is none
     * @throws NullPointerException if {@code kind} is {@code null}
     */
    protected HopsealException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * A failure of {@code kind} without an underlying cause.
     *
     * @param kind what kind of failure it is; never {@code null}
     * @param message what went wrong and, where there is one, the fix; never secret material
     * @throws NullPointerException if {@code kind} is {@code null}
     */
    protected HopsealException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /** {@return the kind of failure, which callers branch on} */
    public ErrorKind kind() {
        return kind;
    }
}
