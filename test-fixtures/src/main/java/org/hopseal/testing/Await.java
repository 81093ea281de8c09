package org.hopseal.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;

/**
 * Waiting for what a test can observe, instead of sleeping for a guessed time: each method polls a condition until
 * it holds or a deadline passes. Deadlines are generous, since a test that waits for an effect only pays for them
 * when it fails.
 */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(10);

    private Await() {
    }

    /** Whether {@code condition} held within {@code timeout}, for tests that assert with their own message. */
    public static boolean holds(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL);
        }
        return true;
    }

    /** Waits up to {@code timeout} for {@code condition}; fails naming {@code what} if it does not hold. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!holds(timeout, condition)) {
            throw new AssertionError("not within " + timeout + ": " + what);
        }
    }

    /** Waits up to {@code timeout} for {@code condition}; fails if it does not hold. */
    public static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await("the awaited condition", timeout, condition);
    }

    /**
     * Sends {@code body} from {@code ctx} along {@code route} again and again until a send fails (a peer that went
     * away, a connection that was cut) and returns that failure; {@code null} if every send within {@code timeout}
     * succeeded.
     */
    public static HopsealException failingSend(Context ctx, Route route, Object body, Duration timeout) throws InterruptedException {
        AtomicReference<HopsealException> failure = new AtomicReference<>();
        holds(timeout, () -> {
            try {
                ctx.send(route, body);
                return false;
            } catch (HopsealException e) {
                failure.set(e);
                return true;
            }
        });
        return failure.get();
    }

    /**
     * Waits until {@code value} has not changed for {@code quiet} (a counter that stopped moving) and returns it;
     * fails if it is still changing after {@code timeout}.
     */
    public static long stable(LongSupplier value, Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = value.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quiet.toNanos()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("still changing after " + timeout + " (now " + last + ")");
            }
            Thread.sleep(POLL);
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }
}
