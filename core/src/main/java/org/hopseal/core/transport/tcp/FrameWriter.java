package org.hopseal.core.transport.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.hopseal.core.transport.tcp.TcpFrames.Frame;

/**
 * Writes frames to a connection, each batch in one gathering write that returns only when all of it is written.
 * Heads and small payloads are copied into a direct staging buffer (the one copy the socket needs anyway: the JDK
 * copies a heap buffer into direct memory before writing it); a payload of {@link #COPY_LIMIT} bytes or more joins
 * the write where it lies. So a burst of small frames leaves in one system call, and a large message is not copied
 * into a buffer before the socket's own copy.
 *
 * <p>It records when a write started, so that a write stuck behind a peer that stopped reading can be noticed and
 * the connection closed (which ends the write).
 *
 * <p>Thread safety: one writer at a time (the connection's write lock); {@link #isStalled} from any thread.
 */
final class FrameWriter {
    /** Payloads smaller than this are copied into the staging buffer. */
    static final int COPY_LIMIT = 8 * 1024;
    /** The staging buffer's size: heads and small payloads gathered per system call. */
    static final int STAGING_BYTES = 64 * 1024;
    /**
     * The largest part of a payload handed to the socket at once. The JDK copies each heap part into a temporary
     * direct buffer that it keeps per thread, so a 16 MiB message in one part would leave a 16 MiB buffer behind.
     */
    static final int MAX_PART = 128 * 1024;

    private final GatheringByteChannel out;
    private ByteBuffer staging;
    private ByteBuffer[] parts = new ByteBuffer[8];
    private int partCount;
    private int sliceStart;
    private LongConsumer progress;
    /** When the write in progress started ({@link System#nanoTime()}), or 0. */
    private volatile long writeStarted;
    /** How many gathering writes were made (each may take several system calls if the socket is full). */
    private volatile long writes;

    FrameWriter(GatheringByteChannel out) {
        this.out = out;
    }

    /** Sends this side's protocol-version byte. */
    void writeVersion() throws IOException {
        ByteBuffer version = ByteBuffer.wrap(new byte[] {TcpFrames.PROTOCOL_VERSION});
        while (version.hasRemaining()) {
            out.write(version);
        }
    }

    /** Writes {@code frames} whole, in order. */
    void write(List<Frame> frames) throws IOException {
        write(frames, bytes -> { });
    }

    /** Writes {@code frames} whole, in order, telling {@code progress} how many bytes each system call took. */
    void write(List<Frame> frames, LongConsumer progress) throws IOException {
        this.progress = progress;
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(STAGING_BYTES);
        }
        for (Frame frame : frames) {
            boolean copied = frame.length() < COPY_LIMIT;
            if (staging.remaining() < frame.head().length + (copied ? frame.length() : 0)) {
                writeParts();
            }
            staging.put(frame.head());
            if (copied) {
                staging.put(frame.payload(), frame.offset(), frame.length());
            } else {
                endSlice();
                int end = frame.offset() + frame.length();
                for (int at = frame.offset(); at < end; at += MAX_PART) {
                    addPart(ByteBuffer.wrap(frame.payload(), at, Math.min(MAX_PART, end - at)));
                }
            }
        }
        writeParts();
    }

    /** Ends the staged bytes not yet in a part as one part. */
    private void endSlice() {
        int end = staging.position();
        if (end > sliceStart) {
            addPart(staging.slice(sliceStart, end - sliceStart));
            sliceStart = end;
        }
    }

    private void addPart(ByteBuffer part) {
        if (partCount == parts.length) {
            parts = Arrays.copyOf(parts, parts.length * 2);
        }
        parts[partCount++] = part;
    }

    /**
     * Writes every part, then starts over with an empty staging buffer. The write counts as started again whenever
     * some bytes went out, so only a write that makes no progress looks stalled.
     */
    private void writeParts() throws IOException {
        endSlice();
        int first = 0;
        try {
            while (first < partCount) {
                writeStarted = System.nanoTime();
                progress.accept(out.write(parts, first, partCount - first));
                while (first < partCount && !parts[first].hasRemaining()) {
                    parts[first++] = null;
                }
            }
        } finally {
            writeStarted = 0;
        }
        writes++;
        partCount = 0;
        staging.clear();
        sliceStart = 0;
    }

    /** Whether a write has made no progress for {@code timeout}. */
    boolean isStalled(long now, Duration timeout) {
        long started = writeStarted;
        return started != 0 && now - started > timeout.toNanos();
    }

    /** Whether a write is in progress. */
    boolean isWriting() {
        return writeStarted != 0;
    }

    /** When the write in progress started ({@link System#nanoTime()}), or 0. */
    long writeStarted() {
        return writeStarted;
    }

    /** How many gathering writes were made. */
    long writeCount() {
        return writes;
    }
}
