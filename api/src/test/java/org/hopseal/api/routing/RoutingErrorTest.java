package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;

class RoutingErrorTest {
    private static final byte[] MAGIC = HexFormat.of().parseHex("e068736572720001");

    private static byte[] handBuilt(int kind, byte[] reason, byte[] trailing) {
        return new BareWriter().writeFixed(MAGIC).writeU8(kind).writeData(reason).writeFixed(trailing).toByteArray();
    }

    @Test
    void everyKindSurvivesARoundTrip() throws Exception {
        for (ErrorKind kind : ErrorKind.values()) {
            RoutingError e = new RoutingError(kind, "no worker at address x — ünïcode");
            byte[] bytes = e.encode();
            assertThat(RoutingError.isRoutingError(bytes)).isTrue();
            assertThat(RoutingError.decode(bytes)).isEqualTo(e);
        }
        assertThat(RoutingError.decode(new RoutingError(ErrorKind.INVALID, "").encode()).reason()).isEmpty();
    }

    @Test
    void encodingIsMagicThenKindThenReasonByteForByte() {
        byte[] bytes = new RoutingError(ErrorKind.NOT_FOUND, "gone").encode();
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("e068736572720001" + "02" + "04" + "676f6e65");
        assertThat(handBuilt(ErrorKind.NOT_FOUND.ordinal(), "gone".getBytes(StandardCharsets.UTF_8), new byte[0]))
                .isEqualTo(bytes);
    }

    @Test
    void isRoutingErrorNeedsTheWholeMagic() {
        assertThat(RoutingError.isRoutingError(new byte[0])).isFalse();
        assertThat(RoutingError.isRoutingError(Arrays.copyOf(MAGIC, 7))).isFalse();
        assertThat(RoutingError.isRoutingError(MAGIC.clone())).isTrue();
        for (int i = 0; i < MAGIC.length; i++) {
            byte[] other = Arrays.copyOf(MAGIC, MAGIC.length + 3);
            other[i] ^= 0x01;
            assertThat(RoutingError.isRoutingError(other)).as("byte %d changed", i).isFalse();
        }
        // An ordinary message body (a BARE string) is not an error reply.
        assertThat(RoutingError.isRoutingError(new BareWriter().writeString("Hello, magic").toByteArray())).isFalse();
    }

    @Test
    void decodeRefusesWhatIsNotAnErrorReply() {
        assertThatThrownBy(() -> RoutingError.decode(new byte[] {1, 2, 3})).isInstanceOf(DecodeException.class)
                .hasMessageContaining("not an error reply");
        assertThatThrownBy(() -> RoutingError.decode(Arrays.copyOf(MAGIC, 7))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("not an error reply");
    }

    @Test
    void decodeRefusesTruncatedInput() {
        assertThatThrownBy(() -> RoutingError.decode(MAGIC.clone())).isInstanceOf(DecodeException.class);
        byte[] full = new RoutingError(ErrorKind.UNAVAILABLE, "slow").encode();
        for (int n = MAGIC.length; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThatThrownBy(() -> RoutingError.decode(cut)).as("cut at %d", n).isInstanceOf(DecodeException.class);
        }
    }

    @Test
    void decodeRefusesAnUnknownKindAndAcceptsTheLastKnownOne() throws Exception {
        int kinds = ErrorKind.values().length;
        byte[] last = handBuilt(kinds - 1, "x".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertThat(RoutingError.decode(last).kind()).isEqualTo(ErrorKind.values()[kinds - 1]);
        byte[] unknown = handBuilt(kinds, "x".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertThatThrownBy(() -> RoutingError.decode(unknown)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("unknown kind " + kinds);
        byte[] max = handBuilt(255, "x".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertThatThrownBy(() -> RoutingError.decode(max)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("unknown kind 255");
    }

    @Test
    void decodeRefusesTrailingBytesAndMalformedText() {
        byte[] trailing = handBuilt(0, "x".getBytes(StandardCharsets.UTF_8), new byte[] {0});
        assertThatThrownBy(() -> RoutingError.decode(trailing)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("trailing");
        byte[] badUtf8 = handBuilt(0, new byte[] {(byte) 0xC3}, new byte[0]);
        assertThatThrownBy(() -> RoutingError.decode(badUtf8)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void reasonIsCutAtMaxReasonCharacters() throws Exception {
        assertThat(RoutingError.MAX_REASON).isEqualTo(512);
        String exact = "r".repeat(RoutingError.MAX_REASON);
        assertThat(new RoutingError(ErrorKind.INVALID, exact).reason()).isEqualTo(exact);
        assertThat(new RoutingError(ErrorKind.INVALID, exact + "s").reason()).isEqualTo(exact);
        assertThat(new RoutingError(ErrorKind.INVALID, "r".repeat(5000)).reason()).hasSize(RoutingError.MAX_REASON);
        // An encoded reply is never longer than MAX_REASON characters.
        byte[] encoded = new RoutingError(ErrorKind.INVALID, exact + "tail").encode();
        assertThat(RoutingError.decode(encoded).reason()).isEqualTo(exact);
        // A peer that sends a longer reason has it cut on decoding too.
        byte[] longer = handBuilt(0, "q".repeat(600).getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertThat(RoutingError.decode(longer).reason()).isEqualTo("q".repeat(RoutingError.MAX_REASON));
    }

    @Test
    void kindAndReasonAreRequired() {
        assertThatNullPointerException().isThrownBy(() -> new RoutingError(null, "x"));
        assertThatNullPointerException().isThrownBy(() -> new RoutingError(ErrorKind.INVALID, null));
    }

    @Test
    void toExceptionKeepsTheKindAndNamesTheReporterAndReason() {
        Origin from = new Origin.Transport(Address.of("1#10.0.0.7:4000"), false);
        RoutingException e = new RoutingError(ErrorKind.UNTRUSTED, "no forwarding").toException(from);
        assertThat(e.kind()).isEqualTo(ErrorKind.UNTRUSTED);
        assertThat(e).hasMessage("the message could not be routed (reported by outbound connection 1#10.0.0.7:4000): "
                + "no forwarding");
    }
}
