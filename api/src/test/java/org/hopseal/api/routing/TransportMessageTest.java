package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.DecodeException;
import org.junit.jupiter.api.Test;

class TransportMessageTest {
    /** ockam-notes.md section 2: the 04 initiator's message, without the 2-byte TCP length prefix. */
    private static final String WORKED_EXAMPLE = "01" + "01" + "00" + "06" + hex("echoer") + "01" + "00" + "03" + hex("app")
            + "0d" + "0c" + hex("Hello Ockam!");

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void encodesTheWorkedExampleByteForByte() throws Exception {
        byte[] payload = new MessageCodecs().encode("Hello Ockam!");
        TransportMessage m = new TransportMessage(Route.of("echoer"), Route.of("app"), payload);
        assertThat(HexFormat.of().formatHex(m.encode())).isEqualTo(WORKED_EXAMPLE);
    }

    @Test
    void decodesTheWorkedExample() throws Exception {
        TransportMessage m = TransportMessage.decode(HexFormat.of().parseHex(WORKED_EXAMPLE));
        assertThat(m.onwardRoute()).isEqualTo(Route.of("echoer"));
        assertThat(m.returnRoute()).isEqualTo(Route.of("app"));
        assertThat(new MessageCodecs().decode(String.class, m.payload())).isEqualTo("Hello Ockam!");
    }

    @Test
    void rejectsTruncatedInputAtEveryLength() {
        byte[] full = HexFormat.of().parseHex(WORKED_EXAMPLE);
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            assertThatThrownBy(() -> TransportMessage.decode(cut)).isInstanceOf(DecodeException.class);
        }
    }

    @Test
    void rejectsTrailingBytesAndUnknownVersions() {
        byte[] full = HexFormat.of().parseHex(WORKED_EXAMPLE + "00");
        assertThatThrownBy(() -> TransportMessage.decode(full)).isInstanceOf(DecodeException.class).hasMessageContaining("trailing");
        byte[] v2 = HexFormat.of().parseHex("02" + WORKED_EXAMPLE.substring(2));
        assertThatThrownBy(() -> TransportMessage.decode(v2)).isInstanceOf(DecodeException.class).hasMessageContaining("version");
    }

    @Test
    void hostileLengthsAreRejectedBeforeAllocation() {
        // A route claiming 2^62 addresses and a payload claiming 2^35 bytes, in a few bytes of input.
        byte[] hugeRoute = HexFormat.of().parseHex("01" + "ffffffffffffffff3f");
        assertThatThrownBy(() -> TransportMessage.decode(hugeRoute)).isInstanceOf(DecodeException.class).hasMessageContaining("exceeds");
        byte[] hugePayload = HexFormat.of().parseHex("01" + "00" + "00" + "8080808080" + "01");
        assertThatThrownBy(() -> TransportMessage.decode(hugePayload)).isInstanceOf(DecodeException.class);
        // Found by fuzzing: a length of 2^63 or more is negative as a Java long.
        byte[] negative = java.util.Base64.getDecoder().decode("AQECAQD///////////8B////MS4pAAA=");
        assertThatThrownBy(() -> TransportMessage.decode(negative)).isInstanceOf(DecodeException.class);
        byte[] overlong = HexFormat.of().parseHex("01" + "ffffffffffffffffffff01");
        assertThatThrownBy(() -> TransportMessage.decode(overlong)).isInstanceOf(DecodeException.class);
    }

    @Test
    void invalidUtf8StringBodyIsADecodeError() {
        byte[] body = HexFormat.of().parseHex("02c328");
        assertThatThrownBy(() -> new MessageCodecs().decode(String.class, body)).isInstanceOf(DecodeException.class);
    }
}
