package org.hopseal.api.codec;

import java.nio.ByteBuffer;
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

    /**
     * Decodes a whole payload from a buffer: its bytes from position to limit, which the runtime hands over where
     * they lie (in the decrypted plaintext of a channel frame) instead of copying them. The default copies them into
     * an array for {@link #decode(byte[])}; a codec that can read the buffer in place overrides it. The buffer's
     * position may move; its bytes are not to be modified.
     *
     * @param payload the payload bytes, from the buffer's position to its limit
     * @return the value
     * @throws DecodeException if the payload is not exactly one value (truncated, trailing bytes, malformed)
     * @since 0.2
     */
    default T decode(ByteBuffer payload) throws DecodeException {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return decode(bytes);
    }
}
