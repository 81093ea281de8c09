package org.hopseal.core.node;

import java.util.ArrayList;
import java.util.List;

/**
 * Coalesces a transport's flushes while the worker writing to it has more messages queued: the worker's thread
 * writes several frames into the transport's buffer and flushes once, when its mailbox runs dry (or the buffer
 * fills). A thread without a batch flushes at once.
 *
 * <p>Thread safety: each batch belongs to one worker thread; {@link #flushNowOrAfterBatch} is called from any thread.
 */
public final class FlushBatch {
    /** Something a batch flushes later; it reports its own failures (the sender has returned by then). */
    @FunctionalInterface
    public interface Target {
        void flushQuietly();
    }

    private static final ThreadLocal<FlushBatch> CURRENT = new ThreadLocal<>();

    private final List<Target> pending = new ArrayList<>(2);
    private boolean more;

    /**
     * Runs {@code flush} now, unless the calling worker has more messages queued: then after them. Returns whether
     * the flush was deferred (a target may then guard against a worker that blocks before its batch ends).
     */
    public static boolean flushNowOrAfterBatch(Target target) {
        FlushBatch batch = CURRENT.get();
        if (batch == null || !batch.more) {
            target.flushQuietly();
            return false;
        }
        if (!batch.pending.contains(target)) {
            batch.pending.add(target);
        }
        return true;
    }

    /** A new batch, bound to the calling (worker's) thread. */
    public static FlushBatch bindToCurrentThread() {
        FlushBatch batch = new FlushBatch();
        CURRENT.set(batch);
        return batch;
    }

    /** Before a message: whether more messages wait behind it. */
    public void beforeMessage(boolean moreQueued) {
        more = moreQueued;
    }

    /** After a message: flushes what was deferred once nothing waits behind it. */
    public void afterMessage(boolean moreQueued) {
        if (!moreQueued && !pending.isEmpty()) {
            flushPending();
        }
    }

    /** Flushes everything deferred. */
    public void flushPending() {
        more = false;
        for (Target t : pending) {
            t.flushQuietly();
        }
        pending.clear();
    }
}
