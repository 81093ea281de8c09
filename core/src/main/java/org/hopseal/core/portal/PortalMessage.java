package org.hopseal.core.portal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.hopseal.api.codec.MessageCodec;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.portal.Portal;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * The messages between the two ends of a portal connection, a BARE union (docs/portals.md): an inlet's end asks an
 * outlet to {@link Connect}; the outlet's end answers {@link Connected} (or {@link Close}); then each end sends the
 * bytes its socket reads as {@link Data}, returns {@link Credit} for bytes it wrote to its socket, sends {@link End}
 * when its socket's reading side ends, and {@link Close} when the connection fails.
 */
sealed interface PortalMessage {
    /** The longest reason a {@link Close} carries. */
    int MAX_REASON = 512;

    /**
     * Asks the outlet for a connection to its target; the reply goes to the message's return route. {@code window}:
     * what the inlet's end takes in flight ({@link Portal#MIN_WINDOW} to {@link Portal#MAX_WINDOW}).
     */
    record Connect(int window) implements PortalMessage {
    }

    /** The outlet's end is connected to the target; its address is the message's return route; {@code window}: as Connect's. */
    record Connected(int window) implements PortalMessage {
    }

    /** Bytes read from the sender's socket, in order: {@code length} bytes of {@code bytes} from {@code offset}. */
    record Data(byte[] bytes, int offset, int length) implements PortalMessage {
        public Data {
            Objects.checkFromIndexSize(offset, length, bytes.length);
        }

        /**
         * The encoding of a Data message carrying the bytes {@code from} has left (its position moves to its limit):
         * one copy, from a socket's buffer straight into the message.
         */
        static byte[] encode(ByteBuffer from) {
            int length = from.remaining();
            byte[] head = new BareWriter(4).writeU8(Codec.DATA).writeUint(length).toByteArray();
            byte[] message = Arrays.copyOf(head, head.length + length);
            from.get(message, head.length, length);
            return message;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && Arrays.equals(bytes, offset, offset + length, d.bytes, d.offset, d.offset + d.length);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(Arrays.copyOfRange(bytes, offset, offset + length));
        }

        @Override
        public String toString() {
            return "Data[" + length + " bytes]";
        }
    }

    /** The receiver may send {@code bytes} more: the sender wrote that many to its socket. */
    record Credit(int bytes) implements PortalMessage {
    }

    /** The sender's socket will read no more (a half-close): the receiver shuts its socket's writing side. */
    record End() implements PortalMessage {
    }

    /** The connection failed or was refused on the sender's side: the receiver resets its socket. */
    record Close(String reason) implements PortalMessage {
        public Close {
            reason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        }
    }

    /** Registers the codec of the portal messages and of each variant with {@code codecs} (again: no change). */
    static void register(MessageCodecs codecs) {
        Codec codec = new Codec();
        registerAs(codecs, PortalMessage.class, codec);
        registerAs(codecs, Connect.class, codec);
        registerAs(codecs, Connected.class, codec);
        registerAs(codecs, Data.class, codec);
        registerAs(codecs, Credit.class, codec);
        registerAs(codecs, End.class, codec);
        registerAs(codecs, Close.class, codec);
    }

    private static <T extends PortalMessage> void registerAs(MessageCodecs codecs, Class<T> type, Codec codec) {
        try {
            codecs.register(type, new MessageCodec<T>() {
                @Override
                public byte[] encode(T value) {
                    return codec.encode(value);
                }

                @Override
                public T decode(byte[] payload) throws DecodeException {
                    return decode(ByteBuffer.wrap(payload));
                }

                @Override
                public T decode(ByteBuffer payload) throws DecodeException {
                    PortalMessage message = codec.decode(payload);
                    if (!type.isInstance(message)) {
                        throw new DecodeException("expected a portal " + type.getSimpleName());
                    }
                    return type.cast(message);
                }
            });
        } catch (IllegalStateException registeredAlready) {
            // by an earlier portal of this node
        }
    }

    /** The BARE codec: a union tag, then the variant's fields. */
    final class Codec implements MessageCodec<PortalMessage> {
        private static final int CONNECT = 0;
        private static final int CONNECTED = 1;
        static final int DATA = 2;
        private static final int CREDIT = 3;
        private static final int END = 4;
        private static final int CLOSE = 5;

        @Override
        public byte[] encode(PortalMessage value) {
            return switch (value) {
                case Connect c -> new BareWriter(6).writeU8(CONNECT).writeUint(c.window()).toByteArray();
                case Connected c -> new BareWriter(6).writeU8(CONNECTED).writeUint(c.window()).toByteArray();
                case Data d -> new BareWriter(d.length() + 6).writeU8(DATA).writeUint(d.length())
                        .writeFixed(d.bytes(), d.offset(), d.length()).toByteArray();
                case Credit c -> new BareWriter(6).writeU8(CREDIT).writeUint(c.bytes()).toByteArray();
                case End e -> new byte[] {END};
                case Close c -> new BareWriter(c.reason().length() + 4).writeU8(CLOSE).writeString(c.reason()).toByteArray();
            };
        }

        @Override
        public PortalMessage decode(byte[] payload) throws DecodeException {
            return decode(payload, 0, payload.length);
        }

        @Override
        public PortalMessage decode(ByteBuffer payload) throws DecodeException {
            if (!payload.hasArray()) {
                return MessageCodec.super.decode(payload);
            }
            return decode(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
        }

        private PortalMessage decode(byte[] payload, int offset, int size) throws DecodeException {
            BareReader in = new BareReader(payload, offset, size);
            int tag = in.readU8();
            if (tag == DATA) {
                // A view of the payload, not a copy: payloads are never modified once made.
                int length = (int) in.readUint(Integer.MAX_VALUE, "portal data length");
                if (length != in.remaining()) {
                    throw new DecodeException("portal data of " + length + " bytes in " + in.remaining());
                }
                return new Data(payload, offset + size - length, length);
            }
            PortalMessage message = switch (tag) {
                case CONNECT -> new Connect(window(in));
                case CONNECTED -> new Connected(window(in));
                case CREDIT -> new Credit((int) in.readUint(Portal.MAX_WINDOW, "portal credit"));
                case END -> new End();
                case CLOSE -> {
                    String reason = in.readString();
                    if (reason.length() > MAX_REASON) {
                        throw new DecodeException("portal close reason longer than " + MAX_REASON + " characters");
                    }
                    yield new Close(reason);
                }
                default -> throw new DecodeException("unknown portal message " + tag);
            };
            in.expectEnd("portal message");
            return message;
        }

        private static int window(BareReader in) throws DecodeException {
            int window = (int) in.readUint(Portal.MAX_WINDOW, "portal window");
            if (window < Portal.MIN_WINDOW) {
                throw new DecodeException("portal window " + window + " is below " + Portal.MIN_WINDOW);
            }
            return window;
        }
    }
}
