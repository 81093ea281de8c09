package org.hopseal.core.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.core.transport.tcp.TcpFrames.Frame;
import org.junit.jupiter.api.Test;

/** Frames leave in gathering writes, whole and in order, however little the socket takes per call. */
class FrameWriterTest {
    /** A channel that takes at most {@code chunk} bytes per write call and records them. */
    static class Sink implements GatheringByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int chunk;
        int calls;
        final List<Integer> partsPerCall = new ArrayList<>();

        Sink(int chunk) {
            this.chunk = chunk;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            calls++;
            partsPerCall.add(length);
            long taken = 0;
            for (int i = offset; i < offset + length && taken < chunk; i++) {
                int n = (int) Math.min(srcs[i].remaining(), chunk - taken);
                byte[] b = new byte[n];
                srcs[i].get(b);
                bytes.writeBytes(b);
                taken += n;
            }
            return taken;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static TransportMessage message(int payloadSize, int seed) {
        byte[] payload = new byte[payloadSize];
        new Random(seed).nextBytes(payload);
        return TransportMessage.wrap(Route.of("onward"), Route.of("back"), payload);
    }

    private static Frame frame(int payloadSize, int seed) {
        return TcpFrames.frame(message(payloadSize, seed));
    }

    /** The frame of a message like {@link #frame}'s whose payload is a range of a larger array (a decrypted plaintext). */
    private static Frame rangedFrame(int payloadSize, int seed) throws DecodeException {
        byte[] encoded = message(payloadSize, seed).encode();
        byte[] around = new byte[encoded.length + 7];
        Arrays.fill(around, (byte) 0x6B);
        System.arraycopy(encoded, 0, around, 3, encoded.length);
        return TcpFrames.frame(Payloads.decodeSharing(around, 3, encoded.length));
    }

    private static byte[] concat(List<Frame> frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        frames.forEach(f -> all.writeBytes(FrameBytes.of(f)));
        return all.toByteArray();
    }

    /** Writes {@code frames} and returns the bytes the writer reported as written. */
    private static long write(FrameWriter writer, List<Frame> frames) throws Exception {
        long[] progressed = new long[1];
        writer.write(frames, bytes -> progressed[0] += bytes);
        return progressed[0];
    }

    @Test
    void theVersionByteGoesOutAlone() throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        new FrameWriter(sink).writeVersion();
        assertThat(sink.bytes.toByteArray()).containsExactly(TcpFrames.PROTOCOL_VERSION);
    }

    @Test
    void aBurstOfSmallFramesLeavesInOneWriteOfOnePart() throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        FrameWriter writer = new FrameWriter(sink);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            frames.add(frame(1000, i));
        }
        assertThat(write(writer, frames)).isEqualTo(concat(frames).length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(concat(frames));
        assertThat(sink.calls).isEqualTo(1);
        assertThat(sink.partsPerCall).containsExactly(1);
        assertThat(writer.writeCount()).isEqualTo(1);
    }

    @Test
    void largePayloadsJoinTheWriteWhereTheyLieBetweenStagedBytes() throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        FrameWriter writer = new FrameWriter(sink);
        List<Frame> frames = List.of(frame(100, 1), frame(FrameWriter.COPY_LIMIT, 2), frame(FrameWriter.COPY_LIMIT - 1, 3),
                frame(65_000, 4), frame(10, 5));
        assertThat(write(writer, frames)).isEqualTo(concat(frames).length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(concat(frames));
        // staged [1 + head 2], payload 2, staged [head 3 + 3 + head 4], payload 4, staged [5]
        assertThat(sink.partsPerCall).containsExactly(5);
    }

    @Test
    void payloadsThatAreRangesOfLargerArraysAreWrittenExactlyWhetherStagedOrWrittenWhereTheyLie() throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        FrameWriter writer = new FrameWriter(sink);
        List<Frame> ranged = List.of(rangedFrame(100, 1), rangedFrame(FrameWriter.COPY_LIMIT, 2),
                rangedFrame(2 * FrameWriter.MAX_PART + 5, 3), rangedFrame(10, 4));
        List<Frame> whole = List.of(frame(100, 1), frame(FrameWriter.COPY_LIMIT, 2), frame(2 * FrameWriter.MAX_PART + 5, 3),
                frame(10, 4));
        assertThat(ranged.get(2).offset()).isPositive();
        assertThat(write(writer, ranged)).isEqualTo(concat(whole).length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(concat(whole));
    }

    @Test
    void framesThatExactlyFillTheStagingBufferLeaveInOneWrite() throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        FrameWriter writer = new FrameWriter(sink);
        int head = frame(0, 0).size();
        List<Frame> frames = new ArrayList<>();
        int left = FrameWriter.STAGING_BYTES;
        while (left > 0) {
            Frame f = frame(FrameWriter.COPY_LIMIT - 1, left);
            if (f.size() > left) {
                // The last one: a payload that makes the frame exactly the rest.
                int payload = left - head;
                while (frame(payload, 0).size() > left) {
                    payload--;
                }
                f = frame(payload, left);
            }
            frames.add(f);
            left -= f.size();
        }
        assertThat(left).as("the frames fill the buffer exactly").isZero();
        assertThat(write(writer, frames)).isEqualTo(FrameWriter.STAGING_BYTES);
        assertThat(sink.calls).isEqualTo(1);
        assertThat(sink.partsPerCall).containsExactly(1);
    }

    @Test
    void aPayloadLargerThanOnePartLeavesInPartsOfAtMostMaxPartBytes() throws Exception {
        List<Integer> partSizes = new ArrayList<>();
        Sink sink = new Sink(Integer.MAX_VALUE) {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    partSizes.add(srcs[i].remaining());
                }
                return super.write(srcs, offset, length);
            }
        };
        FrameWriter writer = new FrameWriter(sink);
        List<Frame> frames = List.of(frame(2 * FrameWriter.MAX_PART + 5, 1));
        assertThat(write(writer, frames)).isEqualTo(concat(frames).length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(concat(frames));
        assertThat(partSizes).as("the head, two whole parts and the rest")
                .containsExactly(frames.get(0).head().length, FrameWriter.MAX_PART, FrameWriter.MAX_PART, 5);
    }

    @Test
    void aBatchOfMoreLargePayloadsThanTheFirstPartArrayHoldsIsWrittenWholeInOneWrite() throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        FrameWriter writer = new FrameWriter(sink);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(frame(FrameWriter.COPY_LIMIT, i));
        }
        assertThat(write(writer, frames)).isEqualTo(concat(frames).length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(concat(frames));
        assertThat(sink.partsPerCall).as("each head staged, each payload where it lies, in one gathering write")
                .containsExactly(40);
    }

    @Test
    void aWriteIsStalledOnlyOnceMoreThanTheTimeoutPassedSinceItStarted() throws Exception {
        FrameWriter[] writer = new FrameWriter[1];
        List<Boolean> seen = new ArrayList<>();
        Duration timeout = Duration.ofSeconds(1);
        writer[0] = new FrameWriter(new Sink(Integer.MAX_VALUE) {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                long started = writer[0].writeStarted();
                seen.add(started != 0);
                seen.add(writer[0].isStalled(started + timeout.toNanos(), timeout));
                seen.add(writer[0].isStalled(started + timeout.toNanos() + 1, timeout));
                return super.write(srcs, offset, length);
            }
        });
        writer[0].write(List.of(frame(10, 1)));
        assertThat(seen).as("started, not stalled at exactly the timeout, stalled just after").containsExactly(true, false, true);
    }

    @Test
    void aBatchThatEndsWithALargePayloadAddsNoEmptyPart() throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        FrameWriter writer = new FrameWriter(sink);
        List<Frame> frames = List.of(frame(10, 1), frame(FrameWriter.COPY_LIMIT, 2));
        assertThat(write(writer, frames)).isEqualTo(concat(frames).length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(concat(frames));
        assertThat(sink.partsPerCall).as("staged [1 + head 2], payload 2").containsExactly(2);
    }

    @Test
    void moreThanTheStagingBufferHoldsIsWrittenInSeveralWritesInOrder() throws Exception {
        Sink sink = new Sink(Integer.MAX_VALUE);
        FrameWriter writer = new FrameWriter(sink);
        List<Frame> frames = new ArrayList<>();
        int size = FrameWriter.COPY_LIMIT - 100;
        for (int i = 0; i < 3 * FrameWriter.STAGING_BYTES / size; i++) {
            frames.add(frame(size, i));
        }
        assertThat(write(writer, frames)).isEqualTo(concat(frames).length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(concat(frames));
        assertThat(sink.calls).isBetween(3, 4);
        assertThat(write(writer, frames.subList(0, 2))).isEqualTo(concat(frames.subList(0, 2)).length);
        assertThat(sink.bytes.toByteArray()).as("the staging buffer starts over empty")
                .endsWith(concat(frames.subList(0, 2)));
    }

    @Test
    void aSocketThatTakesAFewBytesPerCallStillGetsEverythingInOrder() throws Exception {
        Sink sink = new Sink(7);
        FrameWriter writer = new FrameWriter(sink);
        List<Frame> frames = List.of(frame(5, 1), frame(20_000, 2), frame(300, 3));
        assertThat(write(writer, frames)).isEqualTo(concat(frames).length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(concat(frames));
        assertThat(writer.isWriting()).isFalse();
        assertThat(writer.writeStarted()).isZero();
    }

    @Test
    void aWriteInProgressIsStalledOnlyOnceItMadeNoProgressForTheTimeout() throws Exception {
        FrameWriter[] writer = new FrameWriter[1];
        List<Boolean> seen = new ArrayList<>();
        writer[0] = new FrameWriter(new Sink(3) {
            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                long now = System.nanoTime();
                seen.add(writer[0].isWriting());
                seen.add(writer[0].isStalled(now, Duration.ofSeconds(1)));
                seen.add(writer[0].isStalled(now + Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(1)));
                return super.write(srcs, offset, length);
            }
        });
        assertThat(writer[0].isStalled(System.nanoTime() + Duration.ofDays(1).toNanos(), Duration.ofSeconds(1)))
                .as("no write, no stall").isFalse();
        writer[0].write(List.of(frame(10, 1)));
        assertThat(seen).hasSizeGreaterThan(3).containsExactlyElementsOf(
                Collections.nCopies(seen.size() / 3, List.of(true, false, true)).stream().flatMap(List::stream).toList());
        assertThat(writer[0].isWriting()).isFalse();
    }
}
