package org.hopseal.api.error;

/**
 * A tag or signature did not verify. It carries no detail on purpose, so that it cannot serve as an oracle: the
 * message is always the same and there is never a cause.
 *
 * @since 0.1
 */
public final class AuthenticationFailedException extends HopsealException {
    /** The one failure of this class: kind {@link ErrorKind#AUTHENTICATION}, always the same message, no cause. */
    public AuthenticationFailedException() {
        super(ErrorKind.AUTHENTICATION, "authentication failed");
    }
}
