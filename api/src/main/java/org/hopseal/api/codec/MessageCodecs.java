package org.hopseal.api.codec;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

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
        public byte[] encode(String value) {
            return new BareWriter(value.length() + 10).writeString(value).toByteArray();
        }

        @Override
        public String decode(byte[] payload) throws DecodeException {
            BareReader in = new BareReader(payload);
            String value = in.readString();
            in.expectEnd("String body");
            return value;
        }
    };

    /** BARE {@code data}. */
    public static final MessageCodec<byte[]> BYTES = new MessageCodec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return new BareWriter(value.length + 10).writeData(value).toByteArray();
        }

        @Override
        public byte[] decode(byte[] payload) throws DecodeException {
            BareReader in = new BareReader(payload);
            byte[] value = in.readData();
            in.expectEnd("byte[] body");
            return value;
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
        return codec.encode(value);
    }

    /** Decodes a whole payload as {@code type}; leftover bytes are a decode error. */
    public <T> T decode(Class<T> type, byte[] payload) throws DecodeException, RoutingException {
        return codecFor(type).decode(payload);
    }
}
