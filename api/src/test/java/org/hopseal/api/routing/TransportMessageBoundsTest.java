package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;

/** The hop limit and the address length bound of {@link TransportMessage#decode}, on hand-built bytes. */
class TransportMessageBoundsTest {
    private static void writeRoute(BareWriter w, int count, int type, int valueLength) {
        w.writeUint(count);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueLength];
            Arrays.fill(value, (byte) ('a' + i % 26));
            w.writeU8(type).writeUint(valueLength).writeFixed(value);
        }
    }

    private static byte[] message(int onwardCount, int onwardValue, int returnCount, int returnValue) {
        BareWriter w = new BareWriter();
        w.writeU8(TransportMessage.VERSION);
        writeRoute(w, onwardCount, Address.LOCAL, onwardValue);
        writeRoute(w, returnCount, Address.TCP, returnValue);
        w.writeData(new byte[] {7, 8, 9});
        return w.toByteArray();
    }

    @Test
    void limitsAreThoseDocumented() {
        assertThat(Route.MAX_LENGTH).isEqualTo(32);
        assertThat(Address.MAX_VALUE_LENGTH).isEqualTo(255);
    }

    @Test
    void routesOfThirtyTwoAddressesAreDecoded() throws Exception {
        TransportMessage m = TransportMessage.decode(message(32, 1, 32, 1));
        assertThat(m.onwardRoute().size()).isEqualTo(32);
        assertThat(m.returnRoute().size()).isEqualTo(32);
        assertThat(m.onwardRoute().next()).isEqualTo(Address.local("a"));
        assertThat(m.returnRoute().next()).isEqualTo(Address.tcp("a"));
        assertThat(m.payload()).containsExactly(7, 8, 9);
    }

    @Test
    void anOnwardRouteOfThirtyThreeAddressesIsRefused() {
        byte[] bytes = message(33, 1, 0, 1);
        assertThatThrownBy(() -> TransportMessage.decode(bytes)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("route of 33 addresses exceeds the hop limit of 32");
    }

    @Test
    void aReturnRouteOfThirtyThreeAddressesIsRefused() {
        byte[] bytes = message(1, 1, 33, 1);
        assertThatThrownBy(() -> TransportMessage.decode(bytes)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("route of 33 addresses exceeds the hop limit of 32");
    }

    @Test
    void addressValuesOf255BytesAreDecoded() throws Exception {
        TransportMessage m = TransportMessage.decode(message(1, 255, 1, 255));
        assertThat(m.onwardRoute().next().value()).hasSize(255);
        assertThat(m.returnRoute().next().value()).hasSize(255);
        assertThat(m.returnRoute().next().type()).isEqualTo(Address.TCP);
        byte[] expected = new byte[255];
        Arrays.fill(expected, (byte) 'a');
        assertThat(m.onwardRoute().next()).isEqualTo(Address.of(Address.LOCAL, expected));
    }

    @Test
    void anOnwardAddressValueOf256BytesIsRefused() {
        byte[] bytes = message(1, 256, 0, 1);
        assertThatThrownBy(() -> TransportMessage.decode(bytes)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("address length 256 is out of range (at most 255)");
    }

    @Test
    void aReturnAddressValueOf256BytesIsRefused() {
        byte[] bytes = message(1, 1, 2, 256);
        assertThatThrownBy(() -> TransportMessage.decode(bytes)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("address length 256 is out of range (at most 255)");
    }

    @Test
    void theLargestMessageWithinBothLimitsSurvivesARoundTrip() throws Exception {
        byte[] bytes = message(32, 255, 32, 255);
        TransportMessage m = TransportMessage.decode(bytes);
        assertThat(m.encode()).isEqualTo(bytes);
        assertThat(m.encodedSize()).isEqualTo(bytes.length);
        assertThat(TransportMessage.decode(m.encode())).isEqualTo(m);
    }

    @Test
    void aDecodedAddressIsNotSharedWithTheInput() throws Exception {
        byte[] bytes = message(1, 3, 0, 1);
        TransportMessage m = TransportMessage.decode(bytes);
        Arrays.fill(bytes, (byte) 0);
        assertThat(m.onwardRoute().next()).isEqualTo(Address.local("aaa"));
    }
}
