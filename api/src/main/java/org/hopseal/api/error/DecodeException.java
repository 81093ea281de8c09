package org.hopseal.api.error;

/**
 * Bytes from outside (the network, a file) could not be decoded: truncated, oversized, or garbage. Always of kind
 * {@link ErrorKind#INVALID}.
 *
 * @since 0.1
 */
public final class DecodeException extends HopsealException {
    /**
     * A decoding failure without an underlying cause.
     *
     * @param message what is wrong with the input (e.g. {@code "truncated input: u8 needs 1 bytes, 0 remain"})
     */
    public DecodeException(String message) {
        super(ErrorKind.INVALID, message);
    }

    /**
     * A decoding failure caused by another exception.
     *
     * @param message what is wrong with the input
     * @param cause the underlying failure, or {@code null} if there is none
     */
    public DecodeException(String message, Throwable cause) {
        super(ErrorKind.INVALID, message, cause);
    }
}
