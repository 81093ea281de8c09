package org.hopseal.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;

/**
 * Opens authenticated channels from one entity to a listener in the same node, {@link #OPENERS} at a time, each
 * used for one echo (so both ends have finished their handshake and carried a message), until a count or a deadline
 * is reached. Prints a progress line every {@link #PROGRESS_EVERY} channels.
 */
final class ChannelOpener {
    static final int OPENERS = 16;
    static final int PROGRESS_EVERY = 10_000;
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(30);
    /** How long after the deadline the openers may take to finish the channel each is opening. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);

    record Opened(int count, double seconds) {
    }

    private final Context app;
    private final Entity from;
    private final String listener;
    private final Address echoer;

    ChannelOpener(Context app, Entity from, String listener, Address echoer) {
        this.app = app;
        this.from = from;
        this.listener = listener;
        this.echoer = echoer;
    }

    /**
     * Opens up to {@code n} channels, starting no new one after {@code deadline}, and gives each one's address to
     * {@code onOpened} (from the opener threads). Fails if any channel fails to open or echo.
     */
    Opened open(int n, Duration deadline, Consumer<Address> onOpened) throws Exception {
        long start = System.nanoTime();
        long stopAt = start + deadline.toNanos();
        AtomicInteger claimed = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> openers = new ArrayList<>();
        for (int t = 0; t < OPENERS; t++) {
            Context c = app.newContext(Address.random());
            openers.add(Thread.ofVirtual().name("opener-" + t).start(() -> {
                try {
                    while (failure.get() == null && System.nanoTime() < stopAt && claimed.getAndIncrement() < n) {
                        Address ch = from.createSecureChannel(listener);
                        c.send(Route.of(ch, echoer), "once");
                        c.receive(String.class, ECHO_TIMEOUT);
                        onOpened.accept(ch);
                        int done = opened.incrementAndGet();
                        if (done % PROGRESS_EVERY == 0) {
                            progress(done, start);
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        long joinBy = stopAt + FINISH_TIMEOUT.toNanos();
        for (Thread t : openers) {
            if (!t.join(Duration.ofNanos(Math.max(1, joinBy - System.nanoTime())))) {
                throw new IllegalStateException("an opener did not finish within " + FINISH_TIMEOUT + " after the deadline");
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a channel failed after " + opened.get() + " opened", failure.get());
        }
        return new Opened(opened.get(), (System.nanoTime() - start) / 1e9);
    }

    private static void progress(int done, long start) {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "PROGRESS %d channels open after %.1f s, heap used %d MiB (before GC)%n", done, (System.nanoTime() - start) / 1e9,
                (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
}
