package org.hopseal.core.channel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one channel end's decryptor: frames delivered, and frames dropped because they failed to
 * authenticate, replayed a nonce, or were older than the window.
 *
 * <p>Thread safety: thread safe.
 */
public final class ChannelStats {
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong tampered = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong tooOld = new AtomicLong();

    public long delivered() {
        return delivered.get();
    }

    public long tampered() {
        return tampered.get();
    }

    public long replayed() {
        return replayed.get();
    }

    public long tooOld() {
        return tooOld.get();
    }

    void countDelivered() {
        delivered.incrementAndGet();
    }

    void countTampered() {
        tampered.incrementAndGet();
    }

    void countReplayed() {
        replayed.incrementAndGet();
    }

    void countTooOld() {
        tooOld.incrementAndGet();
    }

    @Override
    public String toString() {
        return "ChannelStats{delivered=" + delivered + ", tampered=" + tampered + ", replayed=" + replayed + ", tooOld=" + tooOld + "}";
    }
}
