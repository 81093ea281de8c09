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
    void encode(T value, BareWriter out);

    /** Reads exactly one value; the caller checks that nothing is left over. */
    T decode(BareReader in) throws DecodeException;
}
