package org.hopseal.api.routing;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.api.wire.Payloads;

/**
 * The part of a message that crosses nodes: version, onward route, return route and the encoded body.
 *
 * <p>Wire form (BARE): {@code u8 version | route onward | route return | data payload}, where a route is a
 * {@code uint} count of addresses and an address is {@code u8 type | data value}. Only version {@value #VERSION}
 * exists. Decoding refuses a route of more than {@value Route#MAX_LENGTH} addresses (the hop limit: every hop adds one
 * address to the return route) and an address value of more than {@value Address#MAX_VALUE_LENGTH} bytes.
 *
 * <p>The payload may be a range of a larger array that the message shares without copying (a decrypted plaintext
 * holding the routes before it): {@link #payload()} returns a copy, {@link #payloadBuffer()} a read-only view.
 *
 * <p>Thread safety: immutable; {@link #payload()} returns a copy.
 *
 * @since 0.1
 */
public final class TransportMessage {
    /** The only wire version so far. */
    public static final int VERSION = 1;

    static {
        Payloads.grant(new Payloads.Access() {
            @Override
            public ByteBuffer view(TransportMessage message) {
                return ByteBuffer.wrap(message.payload, message.payloadOffset, message.payloadLength);
            }

            @Override
            public TransportMessage decodeSharing(byte[] bytes, int offset, int length) throws DecodeException {
                return TransportMessage.decode(bytes, offset, length, true);
            }
        });
    }

    private final Route onwardRoute;
    private final Route returnRoute;
    /** The payload is {@code payloadLength} bytes of this array from {@code payloadOffset}; never modified. */
    private final byte[] payload;
    private final int payloadOffset;
    private final int payloadLength;

    /**
     * A message with a copy of {@code payload}.
     *
     * @param onwardRoute where the message goes, the next hop first
     * @param returnRoute where replies go
     * @param payload the encoded body; copied
     * @throws NullPointerException if an argument is {@code null}
     */
    public TransportMessage(Route onwardRoute, Route returnRoute, byte[] payload) {
        this.onwardRoute = Objects.requireNonNull(onwardRoute, "onwardRoute");
        this.returnRoute = Objects.requireNonNull(returnRoute, "returnRoute");
        this.payload = payload.clone();
        this.payloadOffset = 0;
        this.payloadLength = this.payload.length;
    }

    /** A message sharing {@code length} bytes of {@code payload} from {@code offset}, without copying them. */
    private TransportMessage(Route onwardRoute, Route returnRoute, byte[] payload, int offset, int length) {
        this.onwardRoute = onwardRoute;
        this.returnRoute = returnRoute;
        this.payload = payload;
        this.payloadOffset = offset;
        this.payloadLength = length;
    }

    /**
     * A message that takes ownership of {@code payload} without copying; callers must not modify it afterwards.
     *
     * @param onwardRoute where the message goes, the next hop first
     * @param returnRoute where replies go
     * @param payload the encoded body; not copied
     * @return the message
     * @throws NullPointerException if an argument is {@code null}
     */
    public static TransportMessage wrap(Route onwardRoute, Route returnRoute, byte[] payload) {
        return new TransportMessage(Objects.requireNonNull(onwardRoute), Objects.requireNonNull(returnRoute),
                payload, 0, payload.length);
    }

    /** {@return the wire version, always {@value #VERSION}} */
    public int version() {
        return VERSION;
    }

    /** {@return where the message goes, the next hop first} */
    public Route onwardRoute() {
        return onwardRoute;
    }

    /** {@return where replies go, the nearest hop first} */
    public Route returnRoute() {
        return returnRoute;
    }

    /** {@return a copy of the encoded body} */
    public byte[] payload() {
        return Arrays.copyOfRange(payload, payloadOffset, payloadOffset + payloadLength);
    }

    /**
     * The encoded body without a copy, for a codec that reads from a buffer ({@link
     * org.hopseal.api.codec.MessageCodec#decode(ByteBuffer)}).
     *
     * @return a read-only buffer over the body, from its position 0 to its limit; a new buffer on each call
     * @since 0.2
     */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload, payloadOffset, payloadLength).slice().asReadOnlyBuffer();
    }

    /** {@return the payload's length in bytes, without copying it} */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * This message with other routes; the payload is shared, not copied.
     *
     * @param onward the new onward route
     * @param back the new return route
     * @return a new message; this one is unchanged
     * @throws NullPointerException if a route is {@code null}
     * @since 0.2
     */
    public TransportMessage withRoutes(Route onward, Route back) {
        return new TransportMessage(Objects.requireNonNull(onward, "onward"), Objects.requireNonNull(back, "back"),
                payload, payloadOffset, payloadLength);
    }

    /**
     * This message with another onward route; the payload is shared, not copied.
     *
     * @param route the new onward route
     * @return a new message; this one is unchanged
     */
    public TransportMessage withOnwardRoute(Route route) {
        return withRoutes(route, returnRoute);
    }

    /**
     * This message with another return route; the payload is shared, not copied.
     *
     * @param route the new return route
     * @return a new message; this one is unchanged
     */
    public TransportMessage withReturnRoute(Route route) {
        return withRoutes(onwardRoute, route);
    }

    /** {@return the BARE encoding described in the class documentation, {@link #encodedSize()} bytes} */
    public byte[] encode() {
        return encode(0);
    }

    /**
     * The encoding after {@code headroom} bytes left for the caller (a frame's length, a plaintext's kind), in one
     * array of exactly {@code headroom + encodedSize()} bytes.
     *
     * @param headroom how many zero bytes come before the encoding, 0 or more
     * @return the array; the caller fills in the headroom
     * @throws IllegalArgumentException if {@code headroom} is negative
     */
    public byte[] encode(int headroom) {
        BareWriter w = writerAfter(headroom, encodedSize());
        encode(w);
        return w.toByteArray();
    }

    /**
     * The encoding without the payload's bytes (version, routes, the payload's length) after {@code headroom} bytes
     * left for the caller, in one array of exactly {@code headroom + headSize()} bytes. Followed by the payload, it
     * is {@link #encode(int)}: for writers that take the payload from where it lies (a gathering write, an AEAD over
     * two parts) instead of copying it.
     *
     * @param headroom how many zero bytes come before the head, 0 or more
     * @return the array; the caller fills in the headroom
     * @throws IllegalArgumentException if {@code headroom} is negative
     */
    public byte[] encodeHead(int headroom) {
        BareWriter w = writerAfter(headroom, headSize());
        encodeHead(w);
        return w.toByteArray();
    }

    /** A writer sized for {@code headroom + size} bytes, with the headroom already skipped. */
    private static BareWriter writerAfter(int headroom, int size) {
        if (headroom < 0) {
            throw new IllegalArgumentException("negative headroom " + headroom);
        }
        return new BareWriter(headroom + size).skip(headroom);
    }

    /** {@return the exact length of {@link #encode()} in bytes, so that callers can size a buffer of their own} */
    public int encodedSize() {
        return headSize() + payloadLength;
    }

    /**
     * {@return the exact length of {@link #encodeHead(int)} without headroom: {@link #encodedSize()} less the
     * payload}
     */
    public int headSize() {
        return 1 + routeSize(onwardRoute) + routeSize(returnRoute) + BareWriter.uintSize(payloadLength);
    }

    private static int routeSize(Route route) {
        int n = BareWriter.uintSize(route.size());
        for (Address a : route.addresses()) {
            int len = a.valueUnsafe().length;
            n += 1 + BareWriter.uintSize(len) + len;
        }
        return n;
    }

    private void encode(BareWriter w) {
        encodeHead(w);
        w.writeFixed(payload, payloadOffset, payloadLength);
    }

    private void encodeHead(BareWriter w) {
        w.writeU8(VERSION);
        writeRoute(w, onwardRoute);
        writeRoute(w, returnRoute);
        w.writeUint(payloadLength);
    }

    /**
     * Decodes exactly one message filling all of {@code bytes}.
     *
     * @param bytes the encoding, from outside (a frame read from a connection, a decrypted plaintext)
     * @return the message, with a payload of its own
     * @throws DecodeException if the bytes are truncated, have trailing bytes, name another version, hold a route
     *     longer than {@value Route#MAX_LENGTH} addresses or an address longer than
     *     {@value Address#MAX_VALUE_LENGTH} bytes
     */
    public static TransportMessage decode(byte[] bytes) throws DecodeException {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes exactly one message filling {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * @param bytes the array holding the encoding
     * @param offset where the encoding starts
     * @param length the encoding's length in bytes
     * @return the message, with a payload of its own
     * @throws DecodeException as {@link #decode(byte[])} does
     * @throws IndexOutOfBoundsException if the range lies outside {@code bytes}
     */
    public static TransportMessage decode(byte[] bytes, int offset, int length) throws DecodeException {
        return decode(bytes, offset, length, false);
    }

    /** Decodes one message; its payload is a copy, or with {@code sharing} a range of {@code bytes}. */
    private static TransportMessage decode(byte[] bytes, int offset, int length, boolean sharing)
            throws DecodeException {
        BareReader r = new BareReader(bytes, offset, length);
        int version = r.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported transport message version " + version + " (expected " + VERSION + ")");
        }
        Route onward = readRoute(r);
        Route back = readRoute(r);
        int payloadLength = r.readLength(1, "data");
        int payloadOffset = r.position();
        r.skip(payloadLength);
        r.expectEnd("transport message");
        return sharing
                ? new TransportMessage(onward, back, bytes, payloadOffset, payloadLength)
                : new TransportMessage(onward, back, Arrays.copyOfRange(bytes, payloadOffset, payloadOffset + payloadLength), 0, payloadLength);
    }

    private static void writeRoute(BareWriter w, Route route) {
        w.writeUint(route.size());
        for (Address a : route.addresses()) {
            w.writeU8(a.type());
            w.writeData(a.valueUnsafe());
        }
    }

    private static Route readRoute(BareReader r) throws DecodeException {
        // Each address takes at least two bytes, which bounds the count before anything is allocated.
        int count = r.readLength(2, "route");
        if (count > Route.MAX_LENGTH) {
            throw new DecodeException("route of " + count + " addresses exceeds the hop limit of " + Route.MAX_LENGTH);
        }
        Address[] addresses = new Address[count];
        for (int i = 0; i < count; i++) {
            int type = r.readU8();
            int length = (int) r.readUint(Address.MAX_VALUE_LENGTH, "address length");
            addresses[i] = Address.wrap(type, r.readFixed(length));
        }
        return Route.of(addresses);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportMessage m && m.onwardRoute.equals(onwardRoute)
                && m.returnRoute.equals(returnRoute) && Arrays.equals(m.payload, m.payloadOffset,
                        m.payloadOffset + m.payloadLength, payload, payloadOffset, payloadOffset + payloadLength);
    }

    @Override
    public int hashCode() {
        return Objects.hash(onwardRoute, returnRoute, payloadBuffer());
    }

    @Override
    public String toString() {
        return "TransportMessage{onward=" + onwardRoute + ", return=" + returnRoute + ", payload=" + payloadLength + " bytes}";
    }
}
