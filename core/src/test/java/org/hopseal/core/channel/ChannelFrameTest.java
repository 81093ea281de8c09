package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hopseal.api.error.DecodeException;
import org.junit.jupiter.api.Test;

/** The frames a channel end sends its peer's decryptor: the type byte and what follows it. */
class ChannelFrameTest {
    @Test
    void theTypesAndTheDataHeaderAreAsOnTheWire() {
        assertThat(new int[] {ChannelFrame.HANDSHAKE, ChannelFrame.DATA, ChannelFrame.ABORT, ChannelFrame.X3DH}).containsExactly(0, 1, 2, 3);
        assertThat(ChannelFrame.DATA_HEADER).isEqualTo(9);
    }

    @Test
    void aHandshakeFrameCarriesItsMessageAfterTheTypeByte() throws Exception {
        byte[] wire = ChannelFrame.handshake(new byte[] {7, 8, 9});
        assertThat(wire).containsExactly(0, 7, 8, 9);
        ChannelFrame f = ChannelFrame.parse(wire);
        assertThat(f.type()).isEqualTo(ChannelFrame.HANDSHAKE);
        assertThat(f.offset()).isEqualTo(1);
        assertThat(f.bodyLength()).isEqualTo(3);
        assertThat(f.body()).containsExactly(7, 8, 9);
        assertThat(ChannelFrame.parse(ChannelFrame.handshake(new byte[0])).body()).isEmpty();
    }

    @Test
    void anX3dhFrameCarriesItsMessageAfterTheTypeByte() throws Exception {
        byte[] wire = ChannelFrame.x3dh(new byte[] {5, 6});
        assertThat(wire).containsExactly(3, 5, 6);
        ChannelFrame f = ChannelFrame.parse(wire);
        assertThat(f.type()).isEqualTo(ChannelFrame.X3DH);
        assertThat(f.body()).containsExactly(5, 6);
        assertThat(f.bodyLength()).isEqualTo(2);
    }

    @Test
    void anAbortIsOneByteAndHasNoBody() throws Exception {
        assertThat(ChannelFrame.abort()).containsExactly(2);
        ChannelFrame f = ChannelFrame.parse(new byte[] {2, 9, 9});
        assertThat(f.type()).isEqualTo(ChannelFrame.ABORT);
        assertThat(f.bodyLength()).isZero();
        assertThat(f.body()).isEmpty();
    }

    @Test
    void aDataFrameHasABigEndianNonceInItsHeader() throws Exception {
        byte[] frame = new byte[ChannelFrame.DATA_HEADER + 16];
        frame[ChannelFrame.DATA_HEADER] = 42;
        assertThat(ChannelFrame.data(frame, 0x0102030405060708L)).isSameAs(frame);
        assertThat(java.util.Arrays.copyOf(frame, 9)).containsExactly(1, 1, 2, 3, 4, 5, 6, 7, 8);
        ChannelFrame f = ChannelFrame.parse(frame);
        assertThat(f.type()).isEqualTo(ChannelFrame.DATA);
        assertThat(f.nonce()).isEqualTo(0x0102030405060708L);
        assertThat(f.offset()).isEqualTo(ChannelFrame.DATA_HEADER);
        assertThat(f.bodyLength()).isEqualTo(16);
        assertThat(f.bytes()).isSameAs(frame);
        assertThat(f.body()[0]).isEqualTo((byte) 42);
        ChannelFrame.data(frame, -1L);
        assertThat(ChannelFrame.parse(frame).nonce()).isEqualTo(-1L);
        ChannelFrame.data(frame, 0xFF00000000000001L);
        assertThat(ChannelFrame.parse(frame).nonce()).isEqualTo(0xFF00000000000001L);
    }

    @Test
    void aDataFrameShorterThanHeaderAndTagIsRefused() throws Exception {
        assertThat(ChannelFrame.parse(ChannelFrame.data(new byte[ChannelFrame.DATA_HEADER + 16], 3)).nonce()).isEqualTo(3);
        byte[] short1 = new byte[ChannelFrame.DATA_HEADER + 15];
        short1[0] = ChannelFrame.DATA;
        assertThatThrownBy(() -> ChannelFrame.parse(short1)).isInstanceOf(DecodeException.class)
                .hasMessage("data frame of 24 bytes is too short");
        assertThatThrownBy(() -> ChannelFrame.parse(new byte[] {1})).isInstanceOf(DecodeException.class);
    }

    @Test
    void anEmptyFrameOrAnUnknownTypeIsRefused() {
        assertThatThrownBy(() -> ChannelFrame.parse(new byte[0])).isInstanceOf(DecodeException.class).hasMessage("empty channel frame");
        assertThatThrownBy(() -> ChannelFrame.parse(new byte[] {5})).isInstanceOf(DecodeException.class)
                .hasMessage("unknown channel frame type 5");
        assertThatThrownBy(() -> ChannelFrame.parse(new byte[] {(byte) 0x80, 0})).isInstanceOf(DecodeException.class)
                .hasMessage("unknown channel frame type 128");
    }

    @Test
    void hybridHandshakeFramesAndAbortReasonsRoundTrip() throws Exception {
        ChannelFrame hybrid = ChannelFrame.parse(ChannelFrame.handshake(ChannelFrame.HYBRID_HANDSHAKE, new byte[] {7, 8}));
        assertThat(hybrid.type()).isEqualTo(4);
        assertThat(hybrid.body()).containsExactly(7, 8);
        assertThat(ChannelFrame.parse(ChannelFrame.abort(ChannelFrame.REQUIRES_HYBRID)).abortReason()).isEqualTo(1);
        assertThat(ChannelFrame.parse(ChannelFrame.abort(ChannelFrame.REFUSES_HYBRID)).abortReason()).isEqualTo(2);
        assertThat(ChannelFrame.parse(ChannelFrame.abort()).abortReason()).isZero();
        assertThat(ChannelFrame.parse(ChannelFrame.handshake(new byte[] {2, 1})).abortReason()).as("only aborts have reasons").isZero();
    }
}
