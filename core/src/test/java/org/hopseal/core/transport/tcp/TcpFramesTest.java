package org.hopseal.core.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.junit.jupiter.api.Test;

/** The TCP wire format: a version byte, then u32 big-endian length-prefixed BARE transport messages. */
class TcpFramesTest {
    private static DataInputStream in(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return new DataInputStream(new ByteArrayInputStream(all.toByteArray()));
    }

    private static byte[] length(long n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static TransportMessage message(int payloadSize) {
        byte[] payload = new byte[payloadSize];
        new Random(payloadSize).nextBytes(payload);
        return TransportMessage.wrap(Route.of("onward", "next"), Route.of("back"), payload);
    }

    @Test
    void theVersionByteIsOneAndWrittenAndFlushedAlone() throws Exception {
        assertThat(TcpFrames.PROTOCOL_VERSION).isEqualTo(1);
        boolean[] flushed = new boolean[1];
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushed[0] = true;
            }
        };
        TcpFrames.writeVersion(out);
        assertThat(out.toByteArray()).containsExactly(1);
        assertThat(flushed[0]).as("the version goes out before any frame is written").isTrue();
    }

    @Test
    void aPeerSpeakingAnotherVersionOrNoneIsRefused() throws Exception {
        TcpFrames.readVersion(in(new byte[] {1}));
        assertThatThrownBy(() -> TcpFrames.readVersion(in(new byte[] {2}))).isInstanceOf(IOException.class)
                .isNotInstanceOf(EOFException.class).hasMessageContaining("unsupported protocol version 2 (expected 1)");
        assertThatThrownBy(() -> TcpFrames.readVersion(in(new byte[] {0}))).isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported protocol version 0");
        assertThatThrownBy(() -> TcpFrames.readVersion(in(new byte[] {(byte) 0xFF}))).isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported protocol version 255");
        assertThatThrownBy(() -> TcpFrames.readVersion(in())).isInstanceOf(EOFException.class)
                .hasMessageContaining("before the protocol version");
    }

    @Test
    void aFrameIsItsBigEndianLengthThenTheEncodedMessage() throws Exception {
        TransportMessage m = message(300);
        byte[] frame = TcpFrames.frame(m);
        byte[] encoded = m.encode();
        assertThat(frame).hasSize(4 + encoded.length);
        assertThat(Arrays.copyOf(frame, 4)).containsExactly(length(encoded.length));
        assertThat(Arrays.copyOfRange(frame, 4, frame.length)).isEqualTo(encoded);
        assertThat(TcpFrames.read(in(frame), Integer.MAX_VALUE)).isEqualTo(m);
    }

    @Test
    void everyByteOfTheLengthCounts() throws Exception {
        // A length over 16 MiB uses all four bytes; read back, the frame is whole.
        TransportMessage big = message(0x01_02_03);
        byte[] frame = TcpFrames.frame(big);
        int n = frame.length - 4;
        assertThat(Arrays.copyOf(frame, 4)).containsExactly(length(n));
        assertThat(frame[1]).isNotZero();
        assertThat(frame[2]).isNotZero();
        assertThat(frame[3]).isNotZero();
        assertThat(TcpFrames.read(in(frame), n)).isEqualTo(big);
        TransportMessage huge = message(0x01_00_00_10);
        byte[] hugeFrame = TcpFrames.frame(huge);
        assertThat(hugeFrame[0]).isEqualTo((byte) 1);
        assertThat(TcpFrames.read(in(hugeFrame), Integer.MAX_VALUE)).isEqualTo(huge);
    }

    @Test
    void framesFollowOneAnotherAndACleanEndBetweenThemIsNull() throws Exception {
        TransportMessage a = message(10);
        TransportMessage b = message(200_000);
        DataInputStream stream = in(TcpFrames.frame(a), TcpFrames.frame(b));
        assertThat(TcpFrames.read(stream, Integer.MAX_VALUE)).isEqualTo(a);
        assertThat(TcpFrames.read(stream, Integer.MAX_VALUE)).isEqualTo(b);
        assertThat(TcpFrames.read(stream, Integer.MAX_VALUE)).isNull();
    }

    @Test
    void aFrameOfExactlyTheMaximumIsReadAndOneByteMoreIsRefusedWhole() throws Exception {
        TransportMessage m = message(1000);
        byte[] frame = TcpFrames.frame(m);
        int size = frame.length - 4;
        assertThat(TcpFrames.read(in(frame), size)).isEqualTo(m);
        assertThatThrownBy(() -> TcpFrames.read(in(frame), size - 1)).isInstanceOf(TcpFrames.FrameTooLargeException.class)
                .hasMessage("frame of " + size + " bytes exceeds the maximum of " + (size - 1));
    }

    @Test
    void anAnnouncedLengthOverTwoGigabytesIsRefusedNotWrappedNegative() {
        assertThatThrownBy(() -> TcpFrames.read(in(length(0xFFFF_FFFFL)), Integer.MAX_VALUE))
                .isInstanceOf(TcpFrames.FrameTooLargeException.class).hasMessageContaining("frame of 4294967295 bytes");
        assertThatThrownBy(() -> TcpFrames.read(in(length(0x8000_0000L)), Integer.MAX_VALUE))
                .isInstanceOf(TcpFrames.FrameTooLargeException.class).hasMessageContaining("frame of 2147483648 bytes");
    }

    @Test
    void aStreamThatEndsInsideTheLengthOrTheBodyIsAnEofNotACleanEnd() {
        assertThatThrownBy(() -> TcpFrames.read(in(new byte[] {0, 0}), 1000)).isInstanceOf(EOFException.class);
        // Small frames are read into an array of their length.
        byte[] small = TcpFrames.frame(message(100));
        byte[] cut = Arrays.copyOf(small, small.length - 1);
        assertThatThrownBy(() -> TcpFrames.read(in(cut), Integer.MAX_VALUE)).isInstanceOf(EOFException.class)
                .hasMessageContaining("(" + (cut.length - 4) + " of " + (small.length - 4) + " bytes)");
        // Large ones are read in chunks; a short one is reported the same way.
        byte[] large = TcpFrames.frame(message(TcpFrames.EXACT_ALLOCATION_LIMIT + 10));
        byte[] cutLarge = Arrays.copyOf(large, large.length - 3);
        assertThatThrownBy(() -> TcpFrames.read(in(cutLarge), Integer.MAX_VALUE)).isInstanceOf(EOFException.class)
                .hasMessageContaining("(" + (cutLarge.length - 4) + " of " + (large.length - 4) + " bytes)");
        // An announced length with nothing behind it.
        assertThatThrownBy(() -> TcpFrames.read(in(length(TcpFrames.EXACT_ALLOCATION_LIMIT)), Integer.MAX_VALUE))
                .isInstanceOf(EOFException.class).hasMessageContaining("(0 of " + TcpFrames.EXACT_ALLOCATION_LIMIT + " bytes)");
        assertThatThrownBy(() -> TcpFrames.read(in(length(TcpFrames.EXACT_ALLOCATION_LIMIT + 1)), Integer.MAX_VALUE))
                .isInstanceOf(EOFException.class).hasMessageContaining("(0 of " + (TcpFrames.EXACT_ALLOCATION_LIMIT + 1) + " bytes)");
    }

    @Test
    void framesAtTheExactAllocationLimitAndJustOverItAreReadWhole() throws Exception {
        for (int delta : new int[] {-1, 0, 1}) {
            int target = TcpFrames.EXACT_ALLOCATION_LIMIT + delta;
            // The routes and the payload's length prefix take the same room for payloads of about this size.
            int overhead = message(target).encodedSize() - target;
            TransportMessage exact = message(target - overhead);
            assertThat(exact.encodedSize()).isEqualTo(target);
            assertThat(TcpFrames.read(in(TcpFrames.frame(exact)), Integer.MAX_VALUE)).isEqualTo(exact);
        }
    }

    @Test
    void aFrameWhoseBodyIsNotATransportMessageIsADecodeError() {
        assertThatThrownBy(() -> TcpFrames.read(in(length(5), new byte[] {9, 9, 9, 9, 9}), 1000)).isInstanceOf(DecodeException.class);
    }

    @Test
    void theDefaultMaximumLeavesRoomForRoutesAroundSixteenMebibytes() {
        assertThat(TcpFrames.DEFAULT_MAX_FRAME).isEqualTo(16 * 1024 * 1024 + 64 * 1024);
        assertThat(TcpFrames.EXACT_ALLOCATION_LIMIT).isEqualTo(128 * 1024);
        assertThat(TcpTransportOptions.defaults().maxFrameSize()).isEqualTo(TcpFrames.DEFAULT_MAX_FRAME);
    }
}
