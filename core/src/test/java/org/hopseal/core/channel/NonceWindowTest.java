package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The replay window: 64 frames wide (a literal here, so that a smaller window fails these tests). */
class NonceWindowTest {
    private final NonceWindow window = new NonceWindow();

    /** What the decryptor does with a frame that authenticated: accept it if fresh, then mark it seen. */
    private boolean accept(long nonce) {
        if (!window.isFresh(nonce)) {
            return false;
        }
        window.markSeen(nonce);
        return true;
    }

    @Test
    void theWindowIsSixtyFourFramesWide() {
        assertThat(NonceWindow.SIZE).isEqualTo(64);
    }

    @Test
    void anEmptyWindowTakesNonceZeroAndAnyLaterNonceButNoNegativeOne() {
        assertThat(window.isFresh(0)).isTrue();
        assertThat(window.isTooOld(0)).isFalse();
        assertThat(window.isFresh(1_000_000)).isTrue();
        assertThat(window.isTooOld(1_000_000)).isFalse();
        assertThat(window.isFresh(-1)).isFalse();
        assertThat(window.isTooOld(-1)).isTrue();
        assertThat(window.isFresh(Long.MIN_VALUE)).isFalse();
        assertThat(window.isTooOld(Long.MIN_VALUE)).isTrue();
    }

    @Test
    void framesInOrderAreAcceptedOnceEach() {
        for (long n = 0; n < 200; n++) {
            assertThat(accept(n)).as("nonce %d", n).isTrue();
            assertThat(accept(n)).as("nonce %d again", n).isFalse();
            assertThat(window.isTooOld(n)).as("a duplicate of the newest is a replay, not too old").isFalse();
        }
    }

    @Test
    void framesUpToSixtyThreeBehindTheHighestAreAcceptedOnceInAnyOrder() {
        assertThat(accept(100)).isTrue();
        // Every frame 1..63 behind, newest first and then the rest scrambled: each is taken exactly once.
        for (long age = 1; age <= 63; age += 2) {
            assertThat(accept(100 - age)).as("%d behind", age).isTrue();
        }
        for (long age = 62; age >= 2; age -= 2) {
            assertThat(accept(100 - age)).as("%d behind", age).isTrue();
        }
        for (long age = 0; age <= 63; age++) {
            long nonce = 100 - age;
            assertThat(window.isFresh(nonce)).as("%d behind, seen already", age).isFalse();
            assertThat(window.isTooOld(nonce)).as("%d behind is a replay, not too old", age).isFalse();
            assertThat(accept(nonce)).as("%d behind, again", age).isFalse();
        }
    }

    @Test
    void aFrameSixtyFourOrMoreBehindTheHighestIsTooOld() {
        assertThat(accept(100)).isTrue();
        assertThat(window.isFresh(37)).as("63 behind").isTrue();
        assertThat(window.isTooOld(37)).isFalse();
        assertThat(window.isFresh(36)).as("64 behind").isFalse();
        assertThat(window.isTooOld(36)).as("64 behind").isTrue();
        assertThat(window.isFresh(0)).isFalse();
        assertThat(window.isTooOld(0)).isTrue();
        // Never seen, yet refused: the window does not remember that far back.
        assertThat(accept(36)).isFalse();
    }

    @Test
    void aFrameAtTheOldEdgeIsRememberedUntilTheWindowMovesPastIt() {
        assertThat(accept(63)).isTrue();
        assertThat(accept(0)).as("63 behind").isTrue();
        assertThat(accept(0)).as("a replay at the edge").isFalse();
        assertThat(window.isTooOld(0)).isFalse();
        assertThat(accept(64)).isTrue();
        assertThat(window.isTooOld(0)).as("now 64 behind").isTrue();
        assertThat(window.isFresh(1)).as("63 behind, never seen").isTrue();
    }

    @Test
    void unseenFramesBelowTheHighestStayAcceptableAsTheWindowSlides() {
        assertThat(accept(10)).isTrue();
        // A jump of less than the window keeps what was seen, shifted: 10 is now 50 behind and still a replay.
        assertThat(accept(60)).isTrue();
        assertThat(accept(10)).isFalse();
        assertThat(accept(11)).isTrue();
        assertThat(accept(9)).isTrue();
        // A jump of exactly the window forgets everything: nothing before it is reachable.
        assertThat(accept(124)).isTrue();
        assertThat(window.isFresh(60)).isFalse();
        assertThat(window.isTooOld(60)).isTrue();
        assertThat(window.isFresh(61)).as("63 behind, never seen").isTrue();
        assertThat(accept(123)).isTrue();
        assertThat(accept(123)).isFalse();
    }

    @Test
    void aJumpOfExactlySixtyFourLeavesNoStaleBitsBehind() {
        // Mark 0..63 all seen, then jump by exactly 64: the old bits must not come back as "seen" for new nonces.
        for (long n = 0; n < 64; n++) {
            assertThat(accept(n)).isTrue();
        }
        assertThat(accept(127)).isTrue();
        for (long n = 64; n < 127; n++) {
            assertThat(window.isFresh(n)).as("nonce %d was never seen", n).isTrue();
        }
        // A jump of more than 64 forgets too.
        assertThat(accept(1000)).isTrue();
        for (long n = 937; n < 1000; n++) {
            assertThat(window.isFresh(n)).as("nonce %d was never seen", n).isTrue();
        }
    }

    @Test
    void aSmallJumpShiftsTheSeenBitsByExactlyTheJump() {
        assertThat(accept(5)).isTrue();
        assertThat(accept(3)).isTrue();
        assertThat(accept(8)).isTrue();
        assertThat(window.isFresh(5)).isFalse();
        assertThat(window.isFresh(3)).isFalse();
        assertThat(window.isFresh(4)).isTrue();
        assertThat(window.isFresh(6)).isTrue();
        assertThat(window.isFresh(7)).isTrue();
        assertThat(window.isFresh(2)).isTrue();
    }
}
