package org.hopseal.core.transport.tcp;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.BareWriter;

/**
 * The TCP wire format: one protocol-version byte from each side when a connection opens, then every message as a
 * u32 big-endian length and the BARE {@link TransportMessage}. A frame longer than the maximum is refused whole;
 * nothing is ever truncated.
 */
final class TcpFrames {
    /** The protocol version byte each side sends first. */
    static final int PROTOCOL_VERSION = 1;
    /** 16 MiB plus room for routes. */
    static final int DEFAULT_MAX_FRAME = TcpTransportOptions.DEFAULT_MAX_FRAME_SIZE;
    /**
     * Frames up to this size (a channel's largest data frame fits) are read into an array of their announced length:
     * a peer that announces one and sends less costs its reader at most this much, as its 64 KiB read buffer does.
     */
    static final int EXACT_ALLOCATION_LIMIT = 128 * 1024;

    private TcpFrames() {
    }

    /** Thrown when a frame announces more bytes than allowed. */
    static final class FrameTooLargeException extends IOException {
        FrameTooLargeException(long length, int max) {
            super("frame of " + length + " bytes exceeds the maximum of " + max);
        }
    }

    static void writeVersion(OutputStream out) throws IOException {
        out.write(PROTOCOL_VERSION);
        out.flush();
    }

    static void readVersion(InputStream in) throws IOException {
        int v = in.read();
        if (v < 0) {
            throw new EOFException("connection closed before the protocol version");
        }
        if (v != PROTOCOL_VERSION) {
            throw new IOException("unsupported protocol version " + v + " (expected " + PROTOCOL_VERSION + ")");
        }
    }

    /** The frame of {@code message}: its u32 big-endian length, then its encoding, built in one array. */
    static byte[] frame(TransportMessage message) {
        byte[] frame = message.encode(4);
        int length = frame.length - 4;
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        return frame;
    }

    /** Reads one frame; {@code null} at a clean end of stream between frames. */
    static TransportMessage read(DataInputStream in, int maxFrame) throws IOException, DecodeException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        long length = ((long) b0 << 24) | ((long) in.readUnsignedByte() << 16) | ((long) in.readUnsignedByte() << 8) | in.readUnsignedByte();
        if (length > maxFrame) {
            throw new FrameTooLargeException(length, maxFrame);
        }
        byte[] body;
        if (length <= EXACT_ALLOCATION_LIMIT) {
            body = new byte[(int) length];
            int n = in.readNBytes(body, 0, body.length);
            if (n < length) {
                throw new EOFException("connection closed in the middle of a frame (" + n + " of " + length + " bytes)");
            }
        } else {
            // Larger frames are read in growing chunks rather than allocated up front: a peer that announces
            // 16 MiB and sends four bytes costs us four bytes, not 16 MiB.
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new EOFException("connection closed in the middle of a frame (" + body.length + " of " + length + " bytes)");
            }
        }
        return TransportMessage.decode(body);
    }
}
