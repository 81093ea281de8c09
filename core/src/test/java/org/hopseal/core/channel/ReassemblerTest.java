package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.hopseal.api.error.DecodeException;
import org.hopseal.core.node.Node;
import org.junit.jupiter.api.Test;

class ReassemblerTest {
    private static final int M = Reassembler.MAX_MESSAGE_BYTES;

    private final ReassemblyBudget budget = new ReassemblyBudget(ReassemblyBudget.NODE_BYTES);
    private final Reassembler r = new Reassembler(budget);

    /** A fragment as a peer sends it, parsed as the decryptor does. */
    private static Plaintext wire(long seq, int index, int count, byte[] chunk) throws DecodeException {
        return Plaintext.parse(new Plaintext.Parts(Plaintext.fragmentHeader(seq, index, count, chunk.length), chunk, 0, chunk.length).toByteArray());
    }

    /** A fragment with a body of any size (parse bounds a single one to MAX_CHUNK; these test the totals). */
    private static Plaintext fragment(long seq, int index, int count, byte[] body) {
        return new Plaintext(Plaintext.FRAGMENT, seq, index, count, body, 0, body.length);
    }

    private static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private void assertHeld(long bytes) {
        assertThat(r.held()).isEqualTo(bytes);
        assertThat(budget.held()).isEqualTo(bytes);
    }

    @Test
    void boundsAreConsistent() {
        assertThat(Reassembler.MAX_PENDING).isEqualTo(4);
        assertThat(Reassembler.MAX_CHANNEL_BYTES).isEqualTo(2L * M);
        assertThat((long) Reassembler.MAX_FRAGMENTS * Plaintext.MAX_CHUNK).isGreaterThanOrEqualTo(M);
        assertThat(ReassemblyBudget.NODE_BYTES).isEqualTo(256L * 1024 * 1024);
    }

    @Test
    void fragmentsJoinInAnyOrderAndGiveTheirBytesBack() throws Exception {
        assertThat(r.add(wire(1, 2, 3, new byte[] {5, 6}))).isNull();
        assertHeld(2);
        assertThat(r.add(wire(1, 0, 3, new byte[] {1, 2}))).isNull();
        assertHeld(4);
        assertThat(r.add(wire(1, 1, 3, new byte[] {3, 4}))).containsExactly(1, 2, 3, 4, 5, 6);
        assertHeld(0);
        // The same seq starts a new message afterwards.
        assertThat(r.add(wire(1, 0, 2, new byte[] {7}))).isNull();
        assertThat(r.add(wire(1, 1, 2, new byte[] {8}))).containsExactly(7, 8);
    }

    @Test
    void aMessageOfExactlyTheLimitIsJoinedAndOneByteMoreIsRefused() throws Exception {
        byte[] big = new byte[M - 10];
        assertThat(r.add(fragment(1, 0, 2, big))).isNull();
        assertThat(r.add(fragment(1, 1, 2, new byte[10]))).hasSize(M);
        assertHeld(0);

        assertThat(r.add(fragment(2, 0, 2, big))).isNull();
        assertThatThrownBy(() -> r.add(fragment(2, 1, 2, new byte[11]))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("exceeds " + M + " bytes");
        // The whole message is dropped and its bytes given back.
        assertHeld(0);
        assertThat(r.add(fragment(2, 1, 2, new byte[1]))).isNull();
        assertHeld(1);
    }

    @Test
    void theMessageLimitCountsFragmentsAsTheyArriveNotAtTheEnd() {
        // A first fragment alone larger than the limit is refused before anything is held.
        assertThatThrownBy(() -> r.add(fragment(1, 0, 3, new byte[M + 1]))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("exceeds");
        assertHeld(0);
    }

    @Test
    void aDuplicateFragmentIsRefusedAndTheFirstKept() throws Exception {
        assertThat(r.add(wire(1, 0, 2, new byte[] {1}))).isNull();
        assertThatThrownBy(() -> r.add(wire(1, 0, 2, new byte[] {9, 9, 9}))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("fragment 0 arrived twice");
        assertHeld(1);
        assertThat(r.add(wire(1, 1, 2, new byte[] {2}))).containsExactly(1, 2);
        assertHeld(0);
    }

    @Test
    void fragmentsThatDisagreeOnTheCountDropTheirMessage() throws Exception {
        assertThat(r.add(wire(1, 0, 3, new byte[] {1, 1}))).isNull();
        assertThatThrownBy(() -> r.add(wire(1, 1, 2, new byte[] {2}))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("disagree on their count");
        assertHeld(0);
        // The dropped message is gone: its seq starts afresh.
        assertThat(r.add(wire(1, 1, 2, new byte[] {2}))).isNull();
        assertThat(r.add(wire(1, 0, 2, new byte[] {1}))).containsExactly(1, 2);
    }

    @Test
    void atMostFourPartialMessagesAreKeptAndTheOldestGoesFirst() throws Exception {
        for (long seq = 1; seq <= Reassembler.MAX_PENDING; seq++) {
            assertThat(r.add(wire(seq, 0, 2, new byte[] {(byte) seq}))).isNull();
        }
        assertHeld(4);
        // Four are kept: the first is still complete-able.
        assertThat(r.add(wire(1, 1, 2, new byte[] {10}))).containsExactly(1, 10);
        assertHeld(3);
        assertThat(r.add(wire(5, 0, 2, new byte[] {5}))).isNull();
        assertHeld(4);
        // A fifth evicts the oldest (seq 2), whose bytes go back.
        assertThat(r.add(wire(6, 0, 2, new byte[] {6, 6}))).isNull();
        assertHeld(5);
        assertThat(r.add(wire(2, 1, 2, new byte[] {20}))).as("seq 2 was evicted").isNull();
        // seq 2 restarted and evicted seq 3; seq 4 is still there.
        assertThat(r.add(wire(4, 1, 2, new byte[] {40}))).containsExactly(4, 40);
        assertThat(r.add(wire(3, 1, 2, new byte[] {30}))).as("seq 3 was evicted").isNull();
    }

    @Test
    void aChannelHoldsAtMostMaxChannelBytesAndDropsOlderPartialsForMore() throws Exception {
        byte[] nearlyWhole = new byte[M - 1];
        assertThat(r.add(fragment(1, 0, 2, nearlyWhole))).isNull();
        assertThat(r.add(fragment(2, 0, 2, nearlyWhole))).isNull();
        assertHeld(2L * M - 2);
        // Exactly at the bound: nothing is dropped.
        assertThat(r.add(fragment(3, 0, 2, new byte[2]))).isNull();
        assertHeld(2L * M);
        // One more byte drops the oldest partial (seq 1), not the newer ones.
        assertThat(r.add(fragment(4, 0, 2, new byte[1]))).isNull();
        assertHeld(M - 1 + 2 + 1);
        assertThat(r.add(fragment(2, 1, 2, new byte[1]))).hasSize(M);
        assertThat(r.add(fragment(3, 1, 2, new byte[1]))).hasSize(3);
        assertThat(r.add(fragment(1, 1, 2, new byte[1]))).as("seq 1 was dropped").isNull();
    }

    @Test
    void makingRoomNeverDropsTheMessageTheFragmentBelongsTo() throws Exception {
        byte[] nearlyWhole = new byte[M - 1];
        // seq 1 is the oldest, and its next fragment needs room.
        assertThat(r.add(fragment(1, 0, 3, new byte[1]))).isNull();
        assertThat(r.add(fragment(2, 0, 2, nearlyWhole))).isNull();
        assertThat(r.add(fragment(3, 0, 2, nearlyWhole))).isNull();
        assertHeld(2L * M - 1);
        assertThat(r.add(fragment(1, 1, 3, new byte[2]))).isNull();
        // seq 2, the oldest other, went; seq 1 kept both fragments.
        assertHeld(1 + 2 + (M - 1));
        assertThat(r.add(fragment(1, 2, 3, new byte[] {7}))).hasSize(4).endsWith(7);
        assertThat(r.add(fragment(3, 1, 2, new byte[1]))).hasSize(M);
        assertThat(r.add(fragment(2, 1, 2, new byte[1]))).as("seq 2 was dropped").isNull();
    }

    @Test
    void theNodeBudgetIsSharedByChannelsAndAFragmentBeyondItDropsItsMessage() throws Exception {
        ReassemblyBudget shared = new ReassemblyBudget(100);
        Reassembler a = new Reassembler(shared);
        Reassembler b = new Reassembler(shared);
        assertThat(a.add(fragment(1, 0, 2, new byte[60]))).isNull();
        assertThat(b.add(fragment(1, 0, 3, new byte[30]))).isNull();
        assertThat(shared.held()).isEqualTo(90);
        assertThatThrownBy(() -> b.add(fragment(1, 1, 3, new byte[11]))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("the node holds " + ReassemblyBudget.NODE_BYTES + " bytes");
        // b's message went, with the 30 bytes it held; a's is untouched.
        assertThat(b.held()).isZero();
        assertThat(a.held()).isEqualTo(60);
        assertThat(shared.held()).isEqualTo(60);
        // Exactly filling the budget is allowed.
        assertThat(b.add(fragment(2, 0, 2, new byte[40]))).isNull();
        assertThat(shared.held()).isEqualTo(100);
        assertThatThrownBy(() -> b.add(fragment(3, 0, 2, new byte[1]))).isInstanceOf(DecodeException.class);
        assertThat(shared.held()).isEqualTo(100);
        // Completing a message gives its bytes back.
        assertThat(a.add(fragment(1, 1, 2, new byte[0]))).hasSize(60);
        assertThat(shared.held()).isEqualTo(40);
    }

    @Test
    void clearGivesEverythingBack() throws Exception {
        ReassemblyBudget shared = new ReassemblyBudget(1000);
        Reassembler a = new Reassembler(shared);
        Reassembler b = new Reassembler(shared);
        a.add(fragment(1, 0, 2, new byte[10]));
        a.add(fragment(2, 0, 3, new byte[20]));
        a.add(fragment(2, 1, 3, new byte[30]));
        b.add(fragment(1, 0, 2, new byte[5]));
        assertThat(shared.held()).isEqualTo(65);
        a.clear();
        assertThat(a.held()).isZero();
        assertThat(shared.held()).isEqualTo(5);
        // Nothing of a's partials is left to complete.
        assertThat(a.add(fragment(1, 1, 2, new byte[1]))).isNull();
        a.clear();
        b.clear();
        assertThat(shared.held()).isZero();
    }

    @Test
    void budgetTakesAndGivesBack() {
        ReassemblyBudget b = new ReassemblyBudget(10);
        assertThat(b.take(4)).isTrue();
        assertThat(b.take(6)).isTrue();
        assertThat(b.held()).isEqualTo(10);
        assertThat(b.take(1)).isFalse();
        assertThat(b.held()).isEqualTo(10);
        b.giveBack(3);
        assertThat(b.held()).isEqualTo(7);
        assertThat(b.take(3)).isTrue();
        assertThat(b.take(0)).isTrue();
    }

    @Test
    void eachNodeHasOneBudget() throws Exception {
        try (var node = Node.start(); var other = Node.start()) {
            ReassemblyBudget budget = ReassemblyBudget.of(node);
            assertThat(ReassemblyBudget.of(node)).isSameAs(budget);
            assertThat(ReassemblyBudget.of(other)).isNotSameAs(budget);
            assertThat(budget.take(ReassemblyBudget.NODE_BYTES)).isTrue();
            assertThat(budget.take(1)).isFalse();
        }
    }
}
