package org.hopseal.api.codec;

import java.nio.ByteBuffer;
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
            return decode(new BareReader(payload));
        }

        @Override
        public String decode(ByteBuffer payload) throws DecodeException {
            return decode(BareReader.over(payload));
        }

        private String decode(BareReader in) throws DecodeException {
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
            return decode(new BareReader(payload));
        }

        @Override
        public byte[] decode(ByteBuffer payload) throws DecodeException {
            return decode(BareReader.over(payload));
        }

        private byte[] decode(BareReader in) throws DecodeException {
            byte[] value = in.readData();
            in.expectEnd("byte[] body");
            return value;
        }
    };

    private final Map<Class<?>, MessageCodec<?>> codecs = new ConcurrentHashMap<>();

    /** Codecs with {@link #STRING} and {@link #BYTES} registered for {@code String} and {@code byte[]}. */
    public MessageCodecs() {
        codecs.put(String.class, STRING);
        codecs.put(byte[].class, BYTES);
    }

    /**
     * Registers the codec of {@code type}. Register it on every node that sends or receives the type.
     *
     * @param <T> the body type
     * @param type the body type, matched exactly (a subclass needs a codec of its own)
     * @param codec its codec
     * @throws IllegalStateException if a codec for {@code type} is registered already
     * @throws NullPointerException if {@code type} or {@code codec} is {@code null}
     */
    public <T> void register(Class<T> type, MessageCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        if (codecs.putIfAbsent(type, codec) != null) {
            throw new IllegalStateException("a codec for " + type.getName() + " is registered already");
        }
    }

    /**
     * The codec registered for {@code type}.
     *
     * @param <T> the body type
     * @param type the body type, matched exactly
     * @return its codec
     * @throws RoutingException {@code UNSUPPORTED} if no codec is registered for it
     */
    @SuppressWarnings("unchecked")
    public <T> MessageCodec<T> codecFor(Class<T> type) throws RoutingException {
        MessageCodec<?> codec = codecs.get(type);
        if (codec == null) {
            throw new RoutingException(ErrorKind.UNSUPPORTED, "no codec registered for " + type.getName()
                    + "; register one with MessageCodecs.register (Java serialization is never used)");
        }
        return (MessageCodec<T>) codec;
    }

    /**
     * Encodes {@code value} with the codec of its class.
     *
     * @param value the body, never {@code null}
     * @return its payload bytes
     * @throws RoutingException {@code UNSUPPORTED} if no codec is registered for the value's class
     */
    @SuppressWarnings("unchecked")
    public byte[] encode(Object value) throws RoutingException {
        MessageCodec<Object> codec = (MessageCodec<Object>) codecFor(value.getClass());
        return codec.encode(value);
    }

    /**
     * Decodes a whole payload as {@code type}; leftover bytes are a decode error.
     *
     * @param <T> the body type
     * @param type the body type
     * @param payload the payload bytes
     * @return the body
     * @throws DecodeException if the payload is not exactly one {@code type}
     * @throws RoutingException {@code UNSUPPORTED} if no codec is registered for {@code type}
     */
    public <T> T decode(Class<T> type, byte[] payload) throws DecodeException, RoutingException {
        return codecFor(type).decode(payload);
    }

    /**
     * Decodes a whole payload as {@code type} from a buffer (its bytes from position to limit); leftover bytes are a
     * decode error.
     *
     * @param <T> the body type
     * @param type the body type
     * @param payload the payload bytes, not to be modified
     * @return the body
     * @throws DecodeException if the payload is not exactly one {@code type}
     * @throws RoutingException {@code UNSUPPORTED} if no codec is registered for {@code type}
     * @since 0.2
     */
    public <T> T decode(Class<T> type, ByteBuffer payload) throws DecodeException, RoutingException {
        return codecFor(type).decode(payload);
    }
}
