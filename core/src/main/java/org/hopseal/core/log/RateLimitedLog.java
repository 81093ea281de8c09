package org.hopseal.core.log;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning that outside input can trigger at will: logged at most once per interval, with the number of
 * occurrences left out since the last line, so that a flood of bad input costs one line per interval.
 *
 * <p>Thread safety: thread safe.
 */
public final class RateLimitedLog {
    /** The interval of {@link #warnings(Logger)}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger suppressed = new AtomicInteger();

    private RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Warnings to {@code log}, at most one per {@link #DEFAULT_INTERVAL}. */
    public static RateLimitedLog warnings(Logger log) {
        return new RateLimitedLog(log, DEFAULT_INTERVAL);
    }

    /** Warnings to {@code log}, at most one per {@code interval}. */
    public static RateLimitedLog warnings(Logger log, Duration interval) {
        return new RateLimitedLog(log, interval);
    }

    /**
     * Logs {@code format} (SLF4J style) at WARN unless a line went out less than an interval ago; returns whether it
     * logged. Callers escape outside values with {@link LogText#of}.
     */
    public boolean warn(String format, Object... args) {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        int left = suppressed.getAndSet(0);
        if (left > 0) {
            log.warn(format + " ({} more like this not logged)", append(args, left));
        } else {
            log.warn(format, args);
        }
        return true;
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }
}
