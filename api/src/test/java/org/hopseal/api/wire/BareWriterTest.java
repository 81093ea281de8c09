package org.hopseal.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BareWriterTest {
    @Test
    void uintSizeIsTheWrittenLengthAtEveryBoundary() {
        for (long v : new long[] {0, 1, 127, 128, 16_383, 16_384, (1L << 21) - 1, 1L << 21, Integer.MAX_VALUE, Long.MAX_VALUE, -1}) {
            assertThat(BareWriter.uintSize(v)).as("uint %d", v).isEqualTo(new BareWriter().writeUint(v).size());
        }
    }

    @Test
    void anExactlyFullWriterHandsOverAnArrayThatLaterWritesDoNotChange() {
        BareWriter w = new BareWriter(16);
        for (int i = 0; i < 16; i++) {
            w.writeU8(i);
        }
        byte[] first = w.toByteArray();
        assertThat(first).hasSize(16);
        w.writeU8(99);
        assertThat(first).hasSize(16).doesNotContain((byte) 99);
        assertThat(w.toByteArray()).hasSize(17).endsWith((byte) 99);
    }
}
