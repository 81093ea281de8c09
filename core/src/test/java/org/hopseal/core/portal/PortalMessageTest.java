package org.hopseal.core.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.portal.Portal;
import org.junit.jupiter.api.Test;

/** The portal messages' bytes, as docs/portals.md gives them, and every refusal of malformed input. */
class PortalMessageTest {
    private static final PortalMessage.Codec CODEC = new PortalMessage.Codec();
    private static final HexFormat HEX = HexFormat.of();

    private static String hex(PortalMessage m) {
        return HEX.formatHex(CODEC.encode(m));
    }

    private static PortalMessage decode(String hex) throws DecodeException {
        return CODEC.decode(HEX.parseHex(hex));
    }

    @Test
    void eachMessageHasTheDocumentedBytesAndDecodesBack() throws Exception {
        assertThat(hex(new PortalMessage.Connect(Portal.DEFAULT_WINDOW))).isEqualTo("00808020");
        assertThat(hex(new PortalMessage.Connected(65_536))).isEqualTo("01808004");
        assertThat(hex(new PortalMessage.Data("abc".getBytes(), 0, 3))).isEqualTo("0203616263");
        assertThat(hex(new PortalMessage.Data("abcd".getBytes(), 1, 2))).as("only the given range").isEqualTo("02026263");
        assertThat(hex(new PortalMessage.Credit(131_072))).isEqualTo("03808008");
        assertThat(hex(new PortalMessage.End())).isEqualTo("04");
        assertThat(hex(new PortalMessage.Close("no"))).isEqualTo("05026e6f");
        for (PortalMessage m : new PortalMessage[] {new PortalMessage.Connect(Portal.MIN_WINDOW), new PortalMessage.Connected(Portal.MAX_WINDOW),
                new PortalMessage.Credit(1), new PortalMessage.End(), new PortalMessage.Close("target refused")}) {
            assertThat(CODEC.decode(CODEC.encode(m))).isEqualTo(m);
        }
        PortalMessage.Data data = (PortalMessage.Data) decode("0203616263");
        assertThat(data).isEqualTo(new PortalMessage.Data("xabc".getBytes(), 1, 3)).hasToString("Data[3 bytes]");
        assertThat(new String(data.bytes(), data.offset(), data.length())).isEqualTo("abc");
        assertThat(HEX.formatHex(PortalMessage.Data.encode(ByteBuffer.wrap("abc".getBytes())))).as("straight from a buffer")
                .isEqualTo("0203616263");
        assertThat(PortalMessage.Data.encode(ByteBuffer.allocate(200))).hasSize(203).startsWith(2, 0xc8 - 256, 1);
    }

    @Test
    void malformedMessagesAreRefused() {
        assertThatThrownBy(() -> decode("")).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode("06")).isInstanceOf(DecodeException.class).hasMessageContaining("unknown portal message 6");
        assertThatThrownBy(() -> decode("0400")).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode("00ffff03")).as("a window below the least").isInstanceOf(DecodeException.class)
                .hasMessageContaining("below");
        assertThatThrownBy(() -> decode("018180808001")).as("a window above the most").isInstanceOf(DecodeException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> decode("038180808001")).as("a credit above the most window").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode("0205616263")).as("data shorter than its length").isInstanceOf(DecodeException.class);
        String longReason = "05" + "8104" + "61".repeat(513);
        assertThatThrownBy(() -> decode(longReason)).isInstanceOf(DecodeException.class).hasMessageContaining("512");
    }

    @Test
    void aCloseReasonIsCutToItsLimitAndAVariantDecodesOnlyAsItself() throws Exception {
        assertThat(new PortalMessage.Close("x".repeat(600)).reason()).hasSize(PortalMessage.MAX_REASON);
        MessageCodecs codecs = new MessageCodecs();
        PortalMessage.register(codecs);
        PortalMessage.register(codecs);
        assertThat(codecs.decode(PortalMessage.End.class, HEX.parseHex("04"))).isEqualTo(new PortalMessage.End());
        assertThatThrownBy(() -> codecs.decode(PortalMessage.End.class, HEX.parseHex("03808008"))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("End");
    }

    @Test
    void aMessageCostsAtLeastItsShareOfTheWindow() {
        assertThat(PortalConnection.cost(1, Portal.DEFAULT_WINDOW)).isEqualTo(Portal.DEFAULT_WINDOW / PortalConnection.MESSAGES_PER_WINDOW);
        assertThat(PortalConnection.cost(PortalConnection.CHUNK, Portal.DEFAULT_WINDOW)).isEqualTo(PortalConnection.CHUNK);
        assertThat(PortalConnection.cost(512, 512 * 1024)).isEqualTo(512);
        assertThat(PortalConnection.cost(513, 512 * 1024)).isEqualTo(513);
    }
}
