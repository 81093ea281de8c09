package org.hopseal.api.codec;

import org.hopseal.api.error.DecodeException;

/**
 * Turns one Java type into message payload bytes and back. There is no Java serialization anywhere in Hopseal: a
 * type crosses a node only through a codec registered for it.
 *
 * <p>Thread safety: implementations must be stateless or thread safe.
 *
 * @param <T> the body type
 * @since 0.1
 */
public interface MessageCodec<T> {
    /**
     * Encodes one value.
     *
     * @param value the value, never {@code null}
     * @return its payload bytes
     */
    byte[] encode(T value);

    /**
     * Decodes a whole payload. The payload may come from an untrusted peer: a codec checks every length and bound
     * before it allocates, and fails rather than guesses.
     *
     * @param payload the payload bytes, not to be modified
     * @return the value
     * @throws DecodeException if the payload is not exactly one value (truncated, trailing bytes, malformed)
     */
    T decode(byte[] payload) throws DecodeException;
}
