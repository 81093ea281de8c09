package org.hopseal.api.routing;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * The payload of an error reply: a node that cannot route a message that came from outside (unreachable next hop,
 * unknown or unexposed address, forwarding refused, hop limit), or whose worker's access control refused it, tells the
 * sender along the return route, over the connection or channel the message came in by, so that a pending operation
 * fails at once with the reason instead of timing out.
 *
 * <p>Wire form: the 8 bytes {@code E0 'h' 's' 'e' 'r' 'r' 00 01}, then BARE {@code u8 kind | string reason}. It is
 * unauthenticated: a receiver may let it end a pending operation early, never let it succeed. A node never answers
 * an error reply with another.
 *
 * <p>Thread safety: immutable.
 *
 * @param kind why the message could not be routed
 * @param reason the routing node's explanation, at most {@value #MAX_REASON} characters, control characters
 *     replaced by {@code ?}
 * @since 0.2
 */
public record RoutingError(ErrorKind kind, String reason) {
    /** The longest reason sent, in characters. */
    public static final int MAX_REASON = 512;
    private static final byte[] MAGIC = {(byte) 0xE0, 'h', 's', 'e', 'r', 'r', 0, 1};

    /** Cuts the reason to {@link #MAX_REASON} characters and replaces control characters (it may come from a peer). */
    public RoutingError {
        Objects.requireNonNull(kind, "kind");
        String cut = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        reason = cut.codePoints().map(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /**
     * Whether {@code payload} is an encoded error reply: whether it starts with the 8 magic bytes. The rest is not
     * checked; {@link #decode} does that.
     *
     * @param payload a message payload
     * @return whether it starts like an error reply
     */
    public static boolean isRoutingError(byte[] payload) {
        return payload.length >= MAGIC.length && Arrays.equals(payload, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Whether the bytes of {@code payload} from its position to its limit are an encoded error reply, as
     * {@link #isRoutingError(byte[])} tells; the buffer's position does not move.
     *
     * @param payload a message payload (for instance {@link TransportMessage#payloadBuffer()})
     * @return whether it starts like an error reply
     * @since 0.2
     */
    public static boolean isRoutingError(ByteBuffer payload) {
        if (payload.remaining() < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (payload.get(payload.position() + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@return the wire form: the magic bytes, then BARE {@code u8 kind | string reason}} */
    public byte[] encode() {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        BareWriter w = new BareWriter(MAGIC.length + 1 + BareWriter.uintSize(text.length) + text.length);
        w.writeFixed(MAGIC);
        w.writeU8(kind.ordinal());
        w.writeData(text);
        return w.toByteArray();
    }

    /**
     * Decodes an error reply; {@link #isRoutingError} must hold.
     *
     * @param payload the whole payload, magic bytes included
     * @return the error reply, its reason cut and cleaned as the constructor does
     * @throws DecodeException if the payload is not an error reply or is truncated, names a kind this version does
     *     not know, holds a reason that is not valid UTF-8, or has bytes after the reason
     */
    public static RoutingError decode(byte[] payload) throws DecodeException {
        if (!isRoutingError(payload)) {
            throw new DecodeException("not an error reply");
        }
        BareReader r = new BareReader(payload, MAGIC.length, payload.length - MAGIC.length);
        int kind = r.readU8();
        ErrorKind[] kinds = ErrorKind.values();
        if (kind >= kinds.length) {
            throw new DecodeException("error reply of unknown kind " + kind);
        }
        String reason = r.readString();
        r.expectEnd("error reply");
        return new RoutingError(kinds[kind], reason);
    }

    /**
     * This error as an exception for the sender that received it from {@code from}, of this error's kind.
     *
     * @param from where the error reply entered the sender's node (named in the message, since the reply is
     *     unauthenticated)
     * @return the exception to throw
     */
    public RoutingException toException(Origin from) {
        return new RoutingException(kind, "the message could not be routed (reported by " + from + "): " + reason);
    }
}
