package org.hopseal.core.node;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait between attempts that keep failing (reconnecting, registering again): {@code first}, then twice
 * the previous wait, never more than {@code last}.
 *
 * @param first the first wait
 * @param last the longest wait
 */
public record Backoff(Duration first, Duration last) {
    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.isNegative() || first.isZero() || last.compareTo(first) < 0) {
            throw new IllegalArgumentException("a backoff waits a positive first time, at most its last: " + first + ", " + last);
        }
    }

    /** The wait after {@code current}. */
    public Duration next(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(last) > 0 ? last : doubled;
    }
}
