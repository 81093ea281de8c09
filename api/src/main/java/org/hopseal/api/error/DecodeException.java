package org.hopseal.api.error;

/**
 * Bytes from outside (the network, a file) could not be decoded: truncated, oversized, or garbage. Always of kind
 * {@link ErrorKind#INVALID}.
 *
 * @since 0.1
 */
public final class DecodeException extends HopsealException {
    public DecodeException(String message) {
        super(ErrorKind.INVALID, message);
    }

    public DecodeException(String message, Throwable cause) {
        super(ErrorKind.INVALID, message, cause);
    }
}
