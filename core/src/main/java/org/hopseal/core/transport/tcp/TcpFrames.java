package org.hopseal.core.transport.tcp;

import java.nio.ByteBuffer;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;

/**
 * The TCP wire format: one protocol-version byte from each side when a connection opens, then every message as a
 * u32 big-endian length and the BARE {@link TransportMessage}. A frame longer than the maximum is refused whole;
 * nothing is ever truncated. {@link FrameReader} reads frames, {@link FrameWriter} writes them.
 */
final class TcpFrames {
    /** The protocol version byte each side sends first. */
    static final int PROTOCOL_VERSION = 1;
    /** The length prefix: a u32, big-endian. */
    static final int LENGTH_BYTES = 4;

    private TcpFrames() {
    }

    /**
     * One frame ready to write: its head (length prefix, version, routes, the payload's length) and the message's
     * payload, {@code length} bytes of {@code payload} from {@code offset}, which is not copied.
     */
    record Frame(byte[] head, byte[] payload, int offset, int length) {
        /** The bytes this frame takes on the wire, length prefix included. */
        int size() {
            return head.length + length;
        }

        /** The bytes the length prefix announces. */
        int bodyLength() {
            return size() - LENGTH_BYTES;
        }
    }

    /** The frame of {@code message}. */
    static Frame frame(TransportMessage message) {
        byte[] head = message.encodeHead(LENGTH_BYTES);
        ByteBuffer.wrap(head).putInt(0, head.length - LENGTH_BYTES + message.payloadLength());
        ByteBuffer payload = Payloads.view(message);
        return new Frame(head, payload.array(), payload.position(), payload.remaining());
    }
}
