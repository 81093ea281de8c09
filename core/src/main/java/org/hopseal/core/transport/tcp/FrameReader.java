package org.hopseal.core.transport.tcp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;

/**
 * Reads a connection's frames ({@link TcpFrames}). Reads fill one buffer that the connection keeps, and frames up
 * to {@link #IN_PLACE_LIMIT} bytes (a channel's largest data frame fits) are decoded where they lie in it, so many
 * frames arrive with one read and none is copied before decoding. The buffer starts at {@link #FIRST_BUFFER} bytes,
 * which handshakes, pings and small messages fit, and grows to its full size once a frame needs it or a read fills
 * it (the peer had more to send): a quiet connection (a relay's registration, an idle channel) keeps a small one. A larger frame is gathered into an array that
 * grows with the bytes actually received: a peer that announces 16 MiB and sends four bytes costs little.
 *
 * <p>Thread safety: not thread safe; a connection's reader thread owns it.
 */
final class FrameReader {
    /** Frames up to this size are decoded in the read buffer. */
    static final int IN_PLACE_LIMIT = 128 * 1024;
    /** The read buffer's size until the connection needs more. */
    static final int FIRST_BUFFER = 16 * 1024;
    private static final int FULL_BUFFER = TcpFrames.LENGTH_BYTES + IN_PLACE_LIMIT;

    private final ReadableByteChannel in;
    private final int maxFrame;
    /** Unread bytes lie between its position and limit. */
    private ByteBuffer buffer = ByteBuffer.allocate(FIRST_BUFFER).flip();
    private int lastFrameSize;
    /** Whether the last read filled the buffer: the peer had more to send than it holds. */
    private boolean filled;

    FrameReader(ReadableByteChannel in, int maxFrame) {
        this.in = in;
        this.maxFrame = maxFrame;
    }

    /** Reads the peer's protocol-version byte and refuses any version but {@link TcpFrames#PROTOCOL_VERSION}. */
    void readVersion() throws IOException {
        if (!fill(1)) {
            throw new EOFException("connection closed before the protocol version");
        }
        int v = buffer.get() & 0xFF;
        if (v != TcpFrames.PROTOCOL_VERSION) {
            throw new IOException("unsupported protocol version " + v + " (expected " + TcpFrames.PROTOCOL_VERSION + ")");
        }
    }

    /** The next frame's message; {@code null} at a clean end of stream between frames. */
    TransportMessage next() throws IOException, DecodeException {
        if (!fill(TcpFrames.LENGTH_BYTES)) {
            if (buffer.hasRemaining()) {
                throw new EOFException("connection closed in the middle of a frame's length");
            }
            return null;
        }
        long length = Integer.toUnsignedLong(buffer.getInt());
        if (length > maxFrame) {
            throw new FrameTooLargeException(length, maxFrame);
        }
        int n = (int) length;
        lastFrameSize = TcpFrames.LENGTH_BYTES + n;
        if (n > IN_PLACE_LIMIT) {
            byte[] large = readLarge(n);
            return Payloads.decodeSharing(large, 0, large.length);
        }
        if (!fill(n)) {
            throw cutShort(buffer.remaining(), n);
        }
        int start = buffer.position();
        buffer.position(start + n);
        return TransportMessage.decode(buffer.array(), start, n);
    }

    /** Whether at least {@code n} unread bytes are buffered, reading as needed; {@code false} at end of stream. */
    private boolean fill(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return true;
        }
        if (buffer.capacity() < FULL_BUFFER && (n > buffer.capacity() || filled)) {
            buffer = ByteBuffer.allocate(FULL_BUFFER).put(buffer);
        } else {
            buffer.compact();
        }
        try {
            while (buffer.position() < n) {
                if (in.read(buffer) < 0) {
                    return false;
                }
            }
            filled = !buffer.hasRemaining();
            return true;
        } finally {
            buffer.flip();
        }
    }

    /** The size of the last frame {@link #next} read, its length prefix included. */
    int lastFrameSize() {
        return lastFrameSize;
    }

    /** The read buffer's size now. */
    int bufferSize() {
        return buffer.capacity();
    }

    /** A frame body larger than the buffer, in an array that grows with the bytes received. */
    private byte[] readLarge(int length) throws IOException {
        byte[] body = new byte[Math.min(length, FULL_BUFFER)];
        int have = Math.min(buffer.remaining(), length);
        buffer.get(body, 0, have);
        while (have < length) {
            if (have == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
            }
            int read = in.read(ByteBuffer.wrap(body, have, body.length - have));
            if (read < 0) {
                throw cutShort(have, length);
            }
            have += read;
        }
        return body;
    }

    private static EOFException cutShort(int have, int length) {
        return new EOFException("connection closed in the middle of a frame (" + have + " of " + length + " bytes)");
    }

    /** Thrown when a frame announces more bytes than allowed. */
    static final class FrameTooLargeException extends IOException {
        FrameTooLargeException(long length, int max) {
            super("frame of " + length + " bytes exceeds the maximum of " + max);
        }
    }
}
