package org.hopseal.api.error;

/**
 * A secure-channel handshake failed or was aborted; no channel remains on either side.
 *
 * @since 0.1
 */
public non-sealed class HandshakeException extends HopsealException {
    /**
     * A failure without an underlying cause.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong in the handshake, for people; never secret material
     */
    public HandshakeException(ErrorKind kind, String message) {
        super(kind, message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong in the handshake, for people; never secret material
     * @param cause the underlying failure, or {@code null} if there is none
     */
    public HandshakeException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
