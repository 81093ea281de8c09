package org.hopseal.core.channel;

/**
 * A sliding window over the nonces received: accepts a nonce newer than any seen, or one within the last
 * {@value #SIZE} that has not been seen; rejects replays and anything older than the window. A nonce is marked
 * seen only after its message decrypted.
 *
 * <p>Thread safety: not thread safe; owned by one decryptor.
 */
final class NonceWindow {
    static final int SIZE = 64;
    private long highest = -1;
    private long seen; // bit i: highest - i was seen

    boolean isFresh(long nonce) {
        if (nonce < 0) {
            return false;
        }
        if (nonce > highest) {
            return true;
        }
        long age = highest - nonce;
        return age < SIZE && (seen & (1L << age)) == 0;
    }

    /** Whether {@code nonce} is older than the window (as opposed to a replay inside it). */
    boolean isTooOld(long nonce) {
        return nonce < 0 || (highest >= 0 && highest - nonce >= SIZE);
    }

    void markSeen(long nonce) {
        if (nonce > highest) {
            long shift = nonce - highest;
            seen = shift >= SIZE ? 0 : seen << shift;
            highest = nonce;
            seen |= 1;
        } else {
            seen |= 1L << (highest - nonce);
        }
    }
}
