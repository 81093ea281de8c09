package org.hopseal.core.node;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's timers: one thread that runs every timer of the node (handshake timeouts, idle checks), so a channel
 * costs a queue entry, not a sleeping thread. A timer's action must be short and never wait: it runs as a
 * {@link ServiceThread}, so what it sends is queued for the worker that acts on it. Stopping the node cancels all.
 *
 * <p>Thread safety: thread safe.
 */
public final class Timers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Timers.class);

    private final ScheduledThreadPoolExecutor executor;

    private Timers() {
        ThreadFactory threads = Thread.ofVirtual().name("node-timers").factory();
        executor = new ScheduledThreadPoolExecutor(1, task -> threads.newThread(() -> {
            ServiceThread.markCurrent();
            task.run();
        }));
        executor.setRemoveOnCancelPolicy(true);
    }

    /** The timers of {@code node}, created on first use and stopped with it. */
    public static Timers of(Node node) {
        return node.service(Timers.class, () -> {
            Timers t = new Timers();
            node.closeOnStop(t);
            return t;
        });
    }

    /** A timer that can be cancelled; cancelling one that ran or was cancelled does nothing. */
    @FunctionalInterface
    public interface Timer {
        void cancel();
    }

    /** Runs {@code action} once after {@code delay}. */
    public Timer once(Duration delay, Runnable action) {
        return schedule(delay, Duration.ZERO, action);
    }

    /** Runs {@code action} after {@code every}, and again each {@code every}, until cancelled. */
    public Timer every(Duration every, Runnable action) {
        return schedule(every, every, action);
    }

    private Timer schedule(Duration delay, Duration period, Runnable action) {
        Runnable guarded = () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("a timer failed: {}", e.toString());
            }
        };
        ScheduledFuture<?> f;
        try {
            f = period.isZero()
                    ? executor.schedule(guarded, delay.toNanos(), TimeUnit.NANOSECONDS)
                    : executor.scheduleAtFixedRate(guarded, delay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return () -> { }; // the node has stopped: nothing left to time
        }
        return () -> f.cancel(false);
    }

    /** How many timers wait to run. */
    int pending() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
