package org.hopseal.api.error;

/**
 * A secure-channel handshake failed or was aborted; no channel remains on either side.
 *
 * @since 0.1
 */
public non-sealed class HandshakeException extends HopsealException {
    public HandshakeException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public HandshakeException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
