package org.hopseal.api.codec;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;

/**
 * The codecs of one node, by Java type. {@code String} (BARE {@code string}) and {@code byte[]} (BARE
 * {@code data}) are registered from the start; other types are added with {@link #register}.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.1
 */
public final class MessageCodecs {
    /** BARE {@code string}. */
    public static final MessageCodec<String> STRING = new MessageCodec<>() {
        @Override
        public void encode(String value, BareWriter out) {
            out.writeString(value);
        }

        @Override
        public String decode(BareReader in) throws DecodeException {
            return in.readString();
        }
    };

    /** BARE {@code data}. */
    public static final MessageCodec<byte[]> BYTES = new MessageCodec<>() {
        @Override
        public void encode(byte[] value, BareWriter out) {
            out.writeData(value);
        }

        @Override
        public byte[] decode(BareReader in) throws DecodeException {
            return in.readData();
        }
    };

    private final Map<Class<?>, MessageCodec<?>> codecs = new ConcurrentHashMap<>();

    public MessageCodecs() {
        codecs.put(String.class, STRING);
        codecs.put(byte[].class, BYTES);
    }

    /** Registers the codec of {@code type}; a second registration for the same type is an error. */
    public <T> void register(Class<T> type, MessageCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        if (codecs.putIfAbsent(type, codec) != null) {
            throw new IllegalStateException("a codec for " + type.getName() + " is registered already");
        }
    }

    @SuppressWarnings("unchecked")
    public <T> MessageCodec<T> codecFor(Class<T> type) throws RoutingException {
        MessageCodec<?> codec = codecs.get(type);
        if (codec == null) {
            throw new RoutingException(ErrorKind.UNSUPPORTED, "no codec registered for " + type.getName()
                    + "; register one with MessageCodecs.register (Java serialization is never used)");
        }
        return (MessageCodec<T>) codec;
    }

    /** Encodes {@code value} with the codec of its class. */
    @SuppressWarnings("unchecked")
    public byte[] encode(Object value) throws RoutingException {
        MessageCodec<Object> codec = (MessageCodec<Object>) codecFor(value.getClass());
        BareWriter w = new BareWriter(value instanceof byte[] b ? b.length + 10 : 64);
        codec.encode(value, w);
        return w.toByteArray();
    }

    /** Decodes a whole payload as {@code type}; leftover bytes are a decode error. */
    public <T> T decode(Class<T> type, byte[] payload) throws DecodeException, RoutingException {
        MessageCodec<T> codec = codecFor(type);
        BareReader r = new BareReader(payload);
        T value = codec.decode(r);
        r.expectEnd(type.getSimpleName() + " body");
        return value;
    }
}
