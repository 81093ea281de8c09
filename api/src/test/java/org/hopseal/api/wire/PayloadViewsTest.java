package org.hopseal.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.hopseal.api.codec.MessageCodec;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.junit.jupiter.api.Test;

/** Payloads that stay where they lie: a message decoded in place, and codecs that read from a buffer. */
class PayloadViewsTest {
    private static final byte[] BODY = {10, 11, 12, 13, 14};

    /** {@code before} bytes of 0x7F, the encoding of {@code m}, then {@code after} bytes of 0x7F. */
    private static byte[] padded(TransportMessage m, int before, int after) {
        byte[] encoded = m.encode();
        byte[] out = new byte[before + encoded.length + after];
        Arrays.fill(out, (byte) 0x7F);
        System.arraycopy(encoded, 0, out, before, encoded.length);
        return out;
    }

    private static TransportMessage message() {
        return TransportMessage.wrap(Route.of("onward", "more"), Route.of("back"), BODY);
    }

    @Test
    void aSharedDecodeLeavesThePayloadInTheArrayItCameIn() throws Exception {
        TransportMessage m = message();
        byte[] bytes = padded(m, 3, 4);
        TransportMessage shared = Payloads.decodeSharing(bytes, 3, bytes.length - 7);

        ByteBuffer view = Payloads.view(shared);
        assertThat(view.array()).isSameAs(bytes);
        assertThat(view.position()).isEqualTo(bytes.length - 4 - BODY.length);
        assertThat(view.remaining()).isEqualTo(BODY.length);
        assertThat(shared).isEqualTo(m).hasSameHashCodeAs(m);
        assertThat(shared.payload()).containsExactly(BODY);
        assertThat(shared.payloadLength()).isEqualTo(BODY.length);
        assertThat(shared.encode()).isEqualTo(m.encode());
        assertThat(shared.encodedSize()).isEqualTo(m.encodedSize());
        assertThat(shared.headSize()).isEqualTo(m.headSize());
    }

    @Test
    void thePublicDecodeCopiesThePayload() throws Exception {
        byte[] bytes = padded(message(), 2, 0);
        TransportMessage copied = TransportMessage.decode(bytes, 2, bytes.length - 2);
        ByteBuffer view = Payloads.view(copied);
        assertThat(view.array()).isNotSameAs(bytes).containsExactly(BODY);
        assertThat(view.position()).isZero();
    }

    @Test
    void aSharedDecodeRefusesWhatThePublicOneRefuses() {
        byte[] encoded = message().encode();
        byte[] cut = Arrays.copyOf(encoded, encoded.length - 1);
        assertThatThrownBy(() -> Payloads.decodeSharing(cut, 0, cut.length)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("data length 5 exceeds");
        byte[] trailing = Arrays.copyOf(encoded, encoded.length + 1);
        assertThatThrownBy(() -> Payloads.decodeSharing(trailing, 0, trailing.length))
                .isInstanceOf(DecodeException.class).hasMessageContaining("trailing");
    }

    @Test
    void newRoutesShareThePayloadRange() throws Exception {
        byte[] bytes = padded(message(), 5, 5);
        TransportMessage shared = Payloads.decodeSharing(bytes, 5, bytes.length - 10);
        TransportMessage rerouted = shared.withRoutes(Route.of("x"), Route.of("y", "z"));
        assertThat(rerouted.onwardRoute()).isEqualTo(Route.of("x"));
        assertThat(rerouted.returnRoute()).isEqualTo(Route.of("y", "z"));
        assertThat(Payloads.view(rerouted)).isEqualTo(Payloads.view(shared));
        assertThat(Payloads.view(rerouted).array()).isSameAs(bytes);
        assertThat(Payloads.view(shared.withOnwardRoute(Route.empty())).array()).isSameAs(bytes);
        assertThat(Payloads.view(shared.withReturnRoute(Route.empty())).array()).isSameAs(bytes);
        assertThatThrownBy(() -> shared.withRoutes(null, Route.empty())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> shared.withRoutes(Route.empty(), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anArrayIsHandedOutWholeOnlyWhenThePayloadFillsIt() throws Exception {
        TransportMessage whole = message();
        assertThat(Payloads.of(whole)).isSameAs(Payloads.view(whole).array());

        byte[] bytes = padded(message(), 1, 1);
        TransportMessage shared = Payloads.decodeSharing(bytes, 1, bytes.length - 2);
        assertThat(Payloads.of(shared)).containsExactly(BODY).isNotSameAs(bytes);
        // A payload at the array's start but shorter than it is a range too.
        TransportMessage head = TransportMessage.wrap(Route.empty(), Route.empty(), new byte[0]);
        byte[] prefix = new byte[] {1, 2, 3};
        assertThat(Payloads.of(head)).isEmpty();
        byte[] atEnd = padded(TransportMessage.wrap(Route.empty(), Route.empty(), prefix), 0, 2);
        assertThat(Payloads.of(Payloads.decodeSharing(atEnd, 0, atEnd.length - 2))).containsExactly(prefix);
    }

    @Test
    void thePublicBufferIsAReadOnlyViewOfExactlyThePayload() throws Exception {
        byte[] bytes = padded(message(), 6, 6);
        TransportMessage shared = Payloads.decodeSharing(bytes, 6, bytes.length - 12);
        ByteBuffer buffer = shared.payloadBuffer();
        assertThat(buffer.isReadOnly()).isTrue();
        assertThat(buffer.position()).isZero();
        assertThat(buffer.remaining()).isEqualTo(BODY.length);
        assertThat(buffer.get(0)).isEqualTo(BODY[0]);
        assertThatThrownBy(() -> buffer.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(bytes[bytes.length - 6 - BODY.length]).isEqualTo(BODY[0]);
    }

    @Test
    void errorRepliesAreRecognisedInABufferWithoutMovingIt() {
        byte[] error = new RoutingError(ErrorKind.UNTRUSTED, "no").encode();
        byte[] around = new byte[error.length + 2];
        System.arraycopy(error, 0, around, 1, error.length);
        ByteBuffer buffer = ByteBuffer.wrap(around, 1, error.length);
        assertThat(RoutingError.isRoutingError(buffer)).isTrue();
        assertThat(buffer.position()).isEqualTo(1);
        assertThat(RoutingError.isRoutingError(ByteBuffer.wrap(error, 0, 8))).isTrue();
        assertThat(RoutingError.isRoutingError(ByteBuffer.wrap(error, 0, 7))).isFalse();
        for (int i = 0; i < 8; i++) {
            byte[] changed = error.clone();
            changed[i] ^= 1;
            assertThat(RoutingError.isRoutingError(ByteBuffer.wrap(changed))).as("magic byte %d", i).isFalse();
        }
        assertThat(RoutingError.isRoutingError(ByteBuffer.wrap(around, 0, error.length))).isFalse();
    }

    @Test
    void theBuiltInCodecsDecodeABufferRangeWhereItLies() throws Exception {
        MessageCodecs codecs = new MessageCodecs();
        byte[] string = MessageCodecs.STRING.encode("héllo");
        assertThat(codecs.decode(String.class, inRange(string))).isEqualTo("héllo");
        assertThat(codecs.decode(String.class, inRange(string).asReadOnlyBuffer())).isEqualTo("héllo");
        byte[] data = MessageCodecs.BYTES.encode(BODY);
        assertThat(codecs.decode(byte[].class, inRange(data))).containsExactly(BODY);
        assertThat(codecs.decode(byte[].class, inRange(data).asReadOnlyBuffer())).containsExactly(BODY);
        // The range is the whole payload: the bytes after it are not read, so a range one byte short fails.
        ByteBuffer shortRange = inRange(data);
        shortRange.limit(shortRange.limit() - 1);
        assertThatThrownBy(() -> codecs.decode(byte[].class, shortRange)).isInstanceOf(DecodeException.class);
        ByteBuffer longRange = ByteBuffer.wrap(Arrays.copyOf(data, data.length + 1));
        assertThatThrownBy(() -> codecs.decode(byte[].class, longRange)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void aCodecWithoutABufferDecodeGetsACopyOfTheRange() throws Exception {
        MessageCodec<String> hex = new MessageCodec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes();
            }

            @Override
            public String decode(byte[] payload) {
                return new String(payload);
            }
        };
        ByteBuffer range = ByteBuffer.wrap("xxabcxx".getBytes(), 2, 3);
        assertThat(hex.decode(range)).isEqualTo("abc");
    }

    @Test
    void aReaderOverABufferReadsItsRangeAndLeavesItsPosition() throws Exception {
        byte[] bytes = {9, 3, 1, 2, 3, 9};
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, 4);
        BareReader r = BareReader.over(buffer);
        assertThat(r.position()).isEqualTo(1);
        assertThat(r.readData()).containsExactly(1, 2, 3);
        assertThat(r.remaining()).isZero();
        assertThat(buffer.position()).isEqualTo(1);
        BareReader copy = BareReader.over(buffer.asReadOnlyBuffer());
        assertThat(copy.readData()).containsExactly(1, 2, 3);
        assertThat(copy.remaining()).isZero();
        assertThat(BareReader.over(buffer.slice(2, 3)).readFixed(3)).containsExactly(1, 2, 3);
    }

    @Test
    void skipPassesOverBytesAndRefusesMoreThanRemain() throws Exception {
        BareReader r = new BareReader(new byte[] {1, 2, 3, 4}, 1, 3);
        r.skip(2);
        assertThat(r.position()).isEqualTo(3);
        assertThat(r.readU8()).isEqualTo(4);
        BareReader s = new BareReader(new byte[] {1, 2});
        assertThatThrownBy(() -> s.skip(3)).isInstanceOf(DecodeException.class).hasMessageContaining("needs 3");
        assertThatThrownBy(() -> s.skip(-1)).isInstanceOf(DecodeException.class);
        assertThat(s.position()).isZero();
    }

    /** {@code encoded} in a buffer whose array holds other bytes before and after it. */
    private static ByteBuffer inRange(byte[] encoded) {
        byte[] around = new byte[encoded.length + 4];
        Arrays.fill(around, (byte) 0x55);
        System.arraycopy(encoded, 0, around, 2, encoded.length);
        return ByteBuffer.wrap(around, 2, encoded.length);
    }
}
