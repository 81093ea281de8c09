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
    /** The payload bytes of {@code value}. */
    byte[] encode(T value);

    /** The value of a whole payload: a payload that is not exactly one value is a {@link DecodeException}. */
    T decode(byte[] payload) throws DecodeException;
}
