package org.hopseal.core.channel;

import java.util.concurrent.atomic.AtomicLong;
import org.hopseal.core.metrics.DropReason;
import org.hopseal.core.metrics.NodeMetrics;

/**
 * Counters of one channel end's decryptor: frames delivered, and frames dropped because they failed to
 * authenticate, replayed a nonce, or were older than the window. Drops count in the node's meters too.
 *
 * <p>Thread safety: thread safe.
 */
public final class ChannelStats {
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong tampered = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong tooOld = new AtomicLong();
    private final NodeMetrics metrics;

    /** Counters whose drops count in no node's meters. */
    ChannelStats() {
        this(NodeMetrics.none());
    }

    /** Counters whose drops count in {@code metrics} too. */
    ChannelStats(NodeMetrics metrics) {
        this.metrics = metrics;
    }

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
        metrics.frameDropped(DropReason.TAMPERED);
    }

    void countReplayed() {
        replayed.incrementAndGet();
        metrics.frameDropped(DropReason.REPLAYED);
    }

    void countTooOld() {
        tooOld.incrementAndGet();
        metrics.frameDropped(DropReason.TOO_OLD);
    }

    @Override
    public String toString() {
        return "ChannelStats{delivered=" + delivered + ", tampered=" + tampered + ", replayed=" + replayed + ", tooOld=" + tooOld + "}";
    }
}
