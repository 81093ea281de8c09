package org.hopseal.core.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Random;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.core.transport.tcp.FrameReader.FrameTooLargeException;
import org.junit.jupiter.api.Test;

/** The TCP wire format: a version byte, then u32 big-endian length-prefixed BARE transport messages. */
class TcpFramesTest {
    /** A reader of {@code parts}, which arrive in reads of at most {@code chunk} bytes. */
    private static FrameReader in(int maxFrame, int chunk, byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return new FrameReader(new Trickle(all.toByteArray(), chunk), maxFrame);
    }

    private static FrameReader in(int maxFrame, byte[]... parts) {
        return in(maxFrame, Integer.MAX_VALUE, parts);
    }

    private static FrameReader in(byte[]... parts) {
        return in(Integer.MAX_VALUE, parts);
    }

    private static TransportMessage read(FrameReader reader) throws IOException, DecodeException {
        return reader.next();
    }

    /** A channel that hands out its bytes at most {@code chunk} at a time, as a socket does. */
    static final class Trickle implements ReadableByteChannel {
        private final ByteBuffer bytes;
        private final int chunk;
        private int reads;

        Trickle(byte[] bytes, int chunk) {
            this.bytes = ByteBuffer.wrap(bytes);
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!bytes.hasRemaining()) {
                return -1;
            }
            reads++;
            int n = Math.min(Math.min(chunk, dst.remaining()), bytes.remaining());
            dst.put(bytes.slice(bytes.position(), n));
            bytes.position(bytes.position() + n);
            return n;
        }

        int reads() {
            return reads;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static byte[] length(long n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static TransportMessage message(int payloadSize) {
        byte[] payload = new byte[payloadSize];
        new Random(payloadSize).nextBytes(payload);
        return TransportMessage.wrap(Route.of("onward", "next"), Route.of("back"), payload);
    }

    private static byte[] frame(TransportMessage m) {
        return FrameBytes.of(m);
    }

    @Test
    void aPeerSpeakingAnotherVersionOrNoneIsRefused() throws Exception {
        assertThat(TcpFrames.PROTOCOL_VERSION).isEqualTo(1);
        FrameReader one = in(new byte[] {1});
        one.readVersion();
        assertThat(one.next()).as("the version byte is consumed").isNull();
        assertThatThrownBy(() -> in(new byte[] {2}).readVersion()).isInstanceOf(IOException.class)
                .isNotInstanceOf(EOFException.class).hasMessageContaining("unsupported protocol version 2 (expected 1)");
        assertThatThrownBy(() -> in(new byte[] {0}).readVersion()).isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported protocol version 0");
        assertThatThrownBy(() -> in(new byte[] {(byte) 0xFF}).readVersion()).isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported protocol version 255");
        assertThatThrownBy(() -> in().readVersion()).isInstanceOf(EOFException.class)
                .hasMessageContaining("before the protocol version");
    }

    @Test
    void aFrameIsItsBigEndianLengthThenTheEncodedMessage() throws Exception {
        TransportMessage m = message(300);
        byte[] frame = frame(m);
        byte[] encoded = m.encode();
        assertThat(frame).hasSize(4 + encoded.length);
        assertThat(Arrays.copyOf(frame, 4)).containsExactly(length(encoded.length));
        assertThat(Arrays.copyOfRange(frame, 4, frame.length)).isEqualTo(encoded);
        assertThat(TcpFrames.frame(m).bodyLength()).isEqualTo(encoded.length);
        assertThat(read(in(frame))).isEqualTo(m);
    }

    @Test
    void aFramesPayloadIsTheMessagesOwnArrayNotACopy() {
        byte[] payload = new byte[100];
        TransportMessage m = TransportMessage.wrap(Route.of("a"), Route.of("b"), payload);
        assertThat(TcpFrames.frame(m).payload()).isSameAs(payload);
    }

    @Test
    void aPayloadThatIsARangeOfALargerArrayIsWrittenFromWhereItLiesAndNothingAroundIt() throws Exception {
        TransportMessage m = TransportMessage.wrap(Route.of("a"), Route.of("b"), new byte[] {1, 2, 3});
        byte[] encoded = m.encode();
        byte[] around = new byte[encoded.length + 4];
        Arrays.fill(around, (byte) 0x5A);
        System.arraycopy(encoded, 0, around, 2, encoded.length);
        TransportMessage shared = Payloads.decodeSharing(around, 2, encoded.length);
        TcpFrames.Frame frame = TcpFrames.frame(shared);
        assertThat(frame.payload()).isSameAs(around);
        assertThat(frame.offset()).isEqualTo(around.length - 2 - 3);
        assertThat(frame.length()).isEqualTo(3);
        assertThat(frame.size()).isEqualTo(4 + encoded.length);
        assertThat(FrameBytes.of(frame)).isEqualTo(FrameBytes.of(m));
        assertThat(read(in(FrameBytes.of(frame)))).isEqualTo(m);
    }

    @Test
    void everyByteOfTheLengthCounts() throws Exception {
        // A length over 16 MiB uses all four bytes; read back, the frame is whole.
        TransportMessage big = message(0x01_02_03);
        byte[] frame = frame(big);
        int n = frame.length - 4;
        assertThat(Arrays.copyOf(frame, 4)).containsExactly(length(n));
        assertThat(frame[1]).isNotZero();
        assertThat(frame[2]).isNotZero();
        assertThat(frame[3]).isNotZero();
        assertThat(read(in(n, frame))).isEqualTo(big);
        TransportMessage huge = message(0x01_00_00_10);
        byte[] hugeFrame = frame(huge);
        assertThat(hugeFrame[0]).isEqualTo((byte) 1);
        assertThat(read(in(hugeFrame))).isEqualTo(huge);
    }

    @Test
    void framesFollowOneAnotherAndACleanEndBetweenThemIsNull() throws Exception {
        TransportMessage a = message(10);
        TransportMessage b = message(200_000);
        TransportMessage c = message(70_000);
        FrameReader stream = in(frame(a), frame(b), frame(c), frame(a));
        assertThat(read(stream)).isEqualTo(a);
        assertThat(read(stream)).isEqualTo(b);
        assertThat(read(stream)).isEqualTo(c);
        assertThat(read(stream)).isEqualTo(a);
        assertThat(read(stream)).isNull();
    }

    @Test
    void framesSplitAcrossReadsAtEveryPointAreReadWhole() throws Exception {
        TransportMessage a = message(10);
        TransportMessage b = message(FrameReader.IN_PLACE_LIMIT - 100);
        TransportMessage c = message(FrameReader.IN_PLACE_LIMIT + 100);
        for (int chunk : new int[] {1, 3, 4, 5, 1000, 65_536, 131_071}) {
            FrameReader stream = in(Integer.MAX_VALUE, chunk, frame(a), frame(b), frame(a), frame(c), frame(a));
            assertThat(read(stream)).as("chunk %d", chunk).isEqualTo(a);
            assertThat(read(stream)).as("chunk %d", chunk).isEqualTo(b);
            assertThat(read(stream)).as("chunk %d", chunk).isEqualTo(a);
            assertThat(read(stream)).as("chunk %d", chunk).isEqualTo(c);
            assertThat(read(stream)).as("chunk %d", chunk).isEqualTo(a);
            assertThat(read(stream)).as("chunk %d", chunk).isNull();
        }
    }

    @Test
    void manySmallFramesArriveWithOneRead() throws Exception {
        byte[][] frames = new byte[50][];
        TransportMessage m = message(100);
        Arrays.fill(frames, frame(m));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.writeBytes(f);
        }
        Trickle channel = new Trickle(all.toByteArray(), Integer.MAX_VALUE);
        FrameReader reader = new FrameReader(channel, Integer.MAX_VALUE);
        for (int i = 0; i < frames.length; i++) {
            assertThat(reader.next()).isEqualTo(m);
        }
        assertThat(channel.reads()).as("the buffer holds them all").isEqualTo(1);
    }

    @Test
    void eachFramesSizeIsItsLengthPrefixAndBodyForTheConnectionsCounts() throws Exception {
        TransportMessage small = message(10);
        TransportMessage large = message(FrameReader.IN_PLACE_LIMIT + 1);
        FrameReader reader = in(frame(small), frame(large));
        read(reader);
        assertThat(reader.lastFrameSize()).isEqualTo(frame(small).length);
        read(reader);
        assertThat(reader.lastFrameSize()).isEqualTo(frame(large).length);
    }

    @Test
    void aFrameThatExactlyFillsTheFirstBufferKeepsItSmall() throws Exception {
        byte[] exact = null;
        for (int payload = FrameReader.FIRST_BUFFER - 200; exact == null || exact.length < FrameReader.FIRST_BUFFER + 4; payload++) {
            exact = frame(message(payload));
        }
        assertThat(exact.length).as("a frame body of exactly the first buffer's size").isEqualTo(FrameReader.FIRST_BUFFER + 4);
        FrameReader reader = in(Integer.MAX_VALUE, 4, exact);
        assertThat(read(reader)).isNotNull();
        assertThat(reader.bufferSize()).isEqualTo(FrameReader.FIRST_BUFFER);
    }

    @Test
    void theReadBufferStaysSmallForSmallFramesAndGrowsForALargeFrameOrAFullRead() throws Exception {
        TransportMessage small = message(100);
        FrameReader quiet = in(frame(small), frame(small));
        assertThat(read(quiet)).isEqualTo(small);
        assertThat(read(quiet)).isEqualTo(small);
        assertThat(quiet.bufferSize()).isEqualTo(FrameReader.FIRST_BUFFER);

        TransportMessage fits = message(FrameReader.FIRST_BUFFER - 100);
        TransportMessage needsMore = message(FrameReader.FIRST_BUFFER + 100);
        FrameReader growing = in(Integer.MAX_VALUE, 1000, frame(fits), frame(needsMore), frame(small));
        assertThat(read(growing)).isEqualTo(fits);
        assertThat(growing.bufferSize()).isEqualTo(FrameReader.FIRST_BUFFER);
        assertThat(read(growing)).isEqualTo(needsMore);
        assertThat(growing.bufferSize()).isEqualTo(4 + FrameReader.IN_PLACE_LIMIT);
        assertThat(read(growing)).isEqualTo(small);

        // Small frames that fill a whole read: the peer sends more than the first buffer holds, so it grows.
        byte[][] many = new byte[300][];
        Arrays.fill(many, frame(small));
        FrameReader busy = in(many);
        for (int i = 0; i < many.length; i++) {
            assertThat(read(busy)).isEqualTo(small);
        }
        assertThat(busy.bufferSize()).isEqualTo(4 + FrameReader.IN_PLACE_LIMIT);
    }

    @Test
    void aFrameOfExactlyTheMaximumIsReadAndOneByteMoreIsRefusedWhole() throws Exception {
        TransportMessage m = message(1000);
        byte[] frame = frame(m);
        int size = frame.length - 4;
        assertThat(read(in(size, frame))).isEqualTo(m);
        assertThatThrownBy(() -> read(in(size - 1, frame))).isInstanceOf(FrameTooLargeException.class)
                .hasMessage("frame of " + size + " bytes exceeds the maximum of " + (size - 1));
    }

    @Test
    void anAnnouncedLengthOverTwoGigabytesIsRefusedNotWrappedNegative() {
        assertThatThrownBy(() -> read(in(length(0xFFFF_FFFFL))))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("frame of 4294967295 bytes");
        assertThatThrownBy(() -> read(in(length(0x8000_0000L))))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("frame of 2147483648 bytes");
    }

    @Test
    void aStreamThatEndsInsideTheLengthOrTheBodyIsAnEofNotACleanEnd() {
        assertThatThrownBy(() -> read(in(1000, new byte[] {0, 0}))).isInstanceOf(EOFException.class)
                .hasMessageContaining("in the middle of a frame's length");
        // Small frames are decoded in the read buffer.
        byte[] small = frame(message(100));
        byte[] cut = Arrays.copyOf(small, small.length - 1);
        assertThatThrownBy(() -> read(in(cut))).isInstanceOf(EOFException.class)
                .hasMessageContaining("(" + (cut.length - 4) + " of " + (small.length - 4) + " bytes)");
        // Large ones are gathered into an array of their own; a short one is reported the same way.
        byte[] large = frame(message(FrameReader.IN_PLACE_LIMIT + 10));
        byte[] cutLarge = Arrays.copyOf(large, large.length - 3);
        assertThatThrownBy(() -> read(in(Integer.MAX_VALUE, 1000, cutLarge))).isInstanceOf(EOFException.class)
                .hasMessageContaining("(" + (cutLarge.length - 4) + " of " + (large.length - 4) + " bytes)");
        // An announced length with nothing behind it.
        assertThatThrownBy(() -> read(in(length(FrameReader.IN_PLACE_LIMIT))))
                .isInstanceOf(EOFException.class).hasMessageContaining("(0 of " + FrameReader.IN_PLACE_LIMIT + " bytes)");
        assertThatThrownBy(() -> read(in(length(FrameReader.IN_PLACE_LIMIT + 1))))
                .isInstanceOf(EOFException.class).hasMessageContaining("(0 of " + (FrameReader.IN_PLACE_LIMIT + 1) + " bytes)");
    }

    @Test
    void framesAtTheInPlaceLimitAndJustOverItAreReadWhole() throws Exception {
        for (int delta : new int[] {-1, 0, 1}) {
            int target = FrameReader.IN_PLACE_LIMIT + delta;
            // The routes and the payload's length prefix take the same room for payloads of about this size.
            int overhead = message(target).encodedSize() - target;
            TransportMessage exact = message(target - overhead);
            assertThat(exact.encodedSize()).isEqualTo(target);
            FrameReader stream = in(frame(exact), frame(exact));
            assertThat(read(stream)).isEqualTo(exact);
            assertThat(read(stream)).isEqualTo(exact);
        }
    }

    @Test
    void aFrameWhoseBodyIsNotATransportMessageIsADecodeError() {
        assertThatThrownBy(() -> read(in(1000, length(5), new byte[] {9, 9, 9, 9, 9}))).isInstanceOf(DecodeException.class);
    }

    @Test
    void theDefaultMaximumLeavesRoomForRoutesAroundSixteenMebibytes() {
        assertThat(TcpTransportOptions.DEFAULT_MAX_FRAME_SIZE).isEqualTo(16 * 1024 * 1024 + 64 * 1024);
        assertThat(FrameReader.IN_PLACE_LIMIT).isEqualTo(128 * 1024);
        assertThat(TcpTransportOptions.defaults().maxFrameSize()).isEqualTo(TcpTransportOptions.DEFAULT_MAX_FRAME_SIZE);
    }
}
