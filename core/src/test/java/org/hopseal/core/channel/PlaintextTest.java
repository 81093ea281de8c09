package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.BareWriter;
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
        Plaintext p = Plaintext.parse(Plaintext.fragment(77, 1, 3, chunk, 0, chunk.length));
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
        Plaintext p = Plaintext.parse(Plaintext.message(m));
        assertThat(p.kind()).isEqualTo(Plaintext.MESSAGE);
        assertThat(TransportMessage.decode(p.body())).isEqualTo(m);
        for (int kind : new int[] {Plaintext.CONFIRM, Plaintext.CLOSE, Plaintext.PING, Plaintext.PONG}) {
            assertThat(Plaintext.parse(Plaintext.control(kind)).kind()).isEqualTo(kind);
        }
        assertThatThrownBy(() -> Plaintext.parse(new byte[0])).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> Plaintext.parse(new byte[] {6})).isInstanceOf(DecodeException.class)
                .hasMessageContaining("unknown channel plaintext kind 6");
    }
}
