package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.api.wire.Payloads;
import org.junit.jupiter.api.Test;

class PlaintextTest {
    private static byte[] fragment(long seq, long index, long count, long declared, int actual) {
        return new BareWriter().writeU8(Plaintext.FRAGMENT).writeUint(seq).writeUint(index).writeUint(count)
                .writeUint(declared).writeFixed(new byte[actual]).toByteArray();
    }

    @Test
    void aFragmentOfMaxChunkBytesIsParsed() throws Exception {
        assertThat(Plaintext.MAX_CHUNK).isEqualTo(65_000);
        byte[] chunk = new byte[Plaintext.MAX_CHUNK];
        chunk[Plaintext.MAX_CHUNK - 1] = 9;
        Plaintext p = Plaintext.parse(new Plaintext.Parts(Plaintext.fragmentHeader(77, 1, 3, chunk.length), chunk, 0, chunk.length).toByteArray());
        assertThat(p.kind()).isEqualTo(Plaintext.FRAGMENT);
        assertThat(p.seq()).isEqualTo(77);
        assertThat(p.index()).isEqualTo(1);
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.body()).isEqualTo(chunk);
    }

    @Test
    void aFragmentLongerThanMaxChunkIsRefusedBeforeItsBytesAreRead() {
        byte[] tooLong = fragment(1, 0, 2, Plaintext.MAX_CHUNK + 1, Plaintext.MAX_CHUNK + 1);
        assertThatThrownBy(() -> Plaintext.parse(tooLong)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("fragment length 65001 is out of range (at most 65000)");
        // Declared beyond MAX_CHUNK with nothing behind it: the length is what is refused.
        byte[] claim = fragment(1, 0, 2, 1L << 40, 0);
        assertThatThrownBy(() -> Plaintext.parse(claim)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("fragment length");
    }

    @Test
    void fragmentIndexAndCountAreBounded() throws Exception {
        int max = Reassembler.MAX_FRAGMENTS;
        assertThat(Plaintext.parse(fragment(1, max - 1, max, 1, 1)).index()).isEqualTo(max - 1);
        assertThatThrownBy(() -> Plaintext.parse(fragment(1, max, max, 1, 1))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("fragment index");
        assertThatThrownBy(() -> Plaintext.parse(fragment(1, 0, max + 1, 1, 1))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("fragment count");
        assertThatThrownBy(() -> Plaintext.parse(fragment(1, 0, 1, 1, 1))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Plaintext.parse(fragment(1, 2, 2, 1, 1))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("fragment 2 of 2 is out of range");
        assertThat(Plaintext.parse(fragment(1, 1, 2, 1, 1)).index()).isEqualTo(1);
    }

    @Test
    void aFragmentMustEndWhereItsChunkEnds() {
        byte[] trailing = fragment(1, 0, 2, 3, 4);
        assertThatThrownBy(() -> Plaintext.parse(trailing)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("trailing");
        byte[] truncated = fragment(1, 0, 2, 4, 3);
        assertThatThrownBy(() -> Plaintext.parse(truncated)).isInstanceOf(DecodeException.class);
    }

    @Test
    void otherKinds() throws Exception {
        TransportMessage m = new TransportMessage(Route.of("a"), Route.of("b"), new byte[] {1, 2});
        Plaintext p = Plaintext.parse(Plaintext.message(m).toByteArray());
        assertThat(p.kind()).isEqualTo(Plaintext.MESSAGE);
        assertThat(TransportMessage.decode(p.body())).isEqualTo(m);
        for (int kind : new int[] {Plaintext.CONFIRM, Plaintext.CLOSE, Plaintext.PING, Plaintext.PONG}) {
            assertThat(Plaintext.parse(Plaintext.control(kind).toByteArray()).kind()).isEqualTo(kind);
        }
        assertThatThrownBy(() -> Plaintext.parse(new byte[0])).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> Plaintext.parse(new byte[] {7})).isInstanceOf(DecodeException.class)
                .hasMessageContaining("unknown channel plaintext kind 7");
    }

    @Test
    void aMessagesPartsAreItsKindThenItsEncodingWithThePayloadNotCopied() {
        byte[] payload = {7, 8, 9};
        TransportMessage m = TransportMessage.wrap(Route.of("a", "b"), Route.of("c"), payload);
        Plaintext.Parts parts = Plaintext.message(m);
        assertThat(parts.body()).isSameAs(payload);
        assertThat(parts.toByteArray()).isEqualTo(concat(new byte[] {Plaintext.MESSAGE}, m.encode()));
    }

    @Test
    void aPayloadThatIsARangeOfALargerArrayIsEncryptedFromWhereItLies() throws Exception {
        TransportMessage m = TransportMessage.wrap(Route.of("a"), Route.of("b"), new byte[] {4, 5, 6});
        byte[] around = concat(new byte[] {9, 9}, concat(m.encode(), new byte[] {9}));
        TransportMessage shared = Payloads.decodeSharing(around, 2, around.length - 3);
        Plaintext.Parts parts = Plaintext.message(shared);
        assertThat(parts.body()).isSameAs(around);
        assertThat(parts.offset()).isEqualTo(around.length - 4);
        assertThat(parts.length()).isEqualTo(3);
        assertThat(parts.toByteArray()).isEqualTo(concat(new byte[] {Plaintext.MESSAGE}, m.encode()));

        byte[] large = new byte[Plaintext.MAX_CHUNK + 10];
        new Random(5).nextBytes(large);
        TransportMessage big = TransportMessage.wrap(Route.of("a"), Route.of("b"), large);
        byte[] bigAround = concat(new byte[] {9, 9, 9}, concat(big.encode(), new byte[] {9, 9}));
        List<Plaintext.Parts> fragments = Plaintext.fragments(3, Payloads.decodeSharing(bigAround, 3, bigAround.length - 5));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Plaintext.Parts fragment : fragments) {
            assertThat(fragment.body()).isSameAs(bigAround);
            joined.writeBytes(Plaintext.parse(fragment.toByteArray()).body());
        }
        assertThat(joined.toByteArray()).isEqualTo(big.encode());
    }

    @Test
    void aParsedFragmentRefersToItsChunkInThePlaintext() throws Exception {
        byte[] chunk = {1, 2, 3, 4};
        byte[] plaintext = new Plaintext.Parts(Plaintext.fragmentHeader(300, 1, 2, chunk.length), chunk, 0, chunk.length).toByteArray();
        Plaintext p = Plaintext.parse(plaintext);
        assertThat(p.bytes()).isSameAs(plaintext);
        assertThat(p.bodyOffset()).isEqualTo(plaintext.length - chunk.length);
        assertThat(p.bodyLength()).isEqualTo(chunk.length);
        Plaintext credentials = Plaintext.parse(Plaintext.credentials(new byte[] {5, 6}).toByteArray());
        assertThat(credentials.body()).containsExactly(5, 6);
        Plaintext close = Plaintext.parse(Plaintext.control(Plaintext.CLOSE).toByteArray());
        assertThat(close.bodyLength()).isZero();
        assertThat(close.body()).isEmpty();
    }

    @Test
    void fragmentsCutTheEncodingAtEveryMaxChunkAndCarryThePayloadWhereItLies() throws Exception {
        TransportMessage probe = TransportMessage.wrap(Route.of("onward"), Route.of("back"), new byte[0]);
        int head = probe.encodeHead(0).length + 2; // a payload length of three bytes instead of one
        for (int total : new int[] {Plaintext.MAX_CHUNK + 1, 2 * Plaintext.MAX_CHUNK, 2 * Plaintext.MAX_CHUNK + 1, 200_000}) {
            byte[] payload = new byte[total - head];
            new Random(total).nextBytes(payload);
            TransportMessage m = TransportMessage.wrap(Route.of("onward"), Route.of("back"), payload);
            byte[] encoded = m.encode();
            assertThat(encoded).hasSize(total);
            List<Plaintext.Parts> fragments = Plaintext.fragments(42, m);
            int count = (total + Plaintext.MAX_CHUNK - 1) / Plaintext.MAX_CHUNK;
            assertThat(fragments).hasSize(count);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int i = 0; i < count; i++) {
                assertThat(fragments.get(i).body()).isSameAs(payload);
                Plaintext p = Plaintext.parse(fragments.get(i).toByteArray());
                assertThat(p.kind()).isEqualTo(Plaintext.FRAGMENT);
                assertThat(p.seq()).isEqualTo(42);
                assertThat(p.index()).isEqualTo(i);
                assertThat(p.count()).isEqualTo(count);
                assertThat(p.body()).hasSize(i < count - 1 ? Plaintext.MAX_CHUNK : total - (count - 1) * Plaintext.MAX_CHUNK);
                joined.writeBytes(p.body());
            }
            assertThat(joined.toByteArray()).as("total %d", total).isEqualTo(encoded);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
