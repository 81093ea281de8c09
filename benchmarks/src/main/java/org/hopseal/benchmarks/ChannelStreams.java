package org.hopseal.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;

/**
 * Streams of fixed-size messages through open channels of one node, each from its own sender (a virtual thread
 * with its own context) to its own sink worker, with at most {@link #WINDOW} messages of a stream in flight (the
 * sink returns a credit per message it receives), so memory stays bounded however far the senders outrun the
 * receivers. {@link #measure} runs the first k streams at once and counts the bytes their sinks received.
 */
final class ChannelStreams {
    /**
     * Messages a stream may have sent and its sink not yet received: enough that one channel alone is not held back by
     * waiting for credits (at 64 one channel streamed a third slower than at 512 here), small enough that 1,000 streams
     * hold at most 256 MiB of 1 KiB messages.
     */
    static final int WINDOW = 256;
    /** A sender that waits this long for a credit fails the measurement: its channel stalled. */
    private static final Duration CREDIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private record Stream(Context sender, Route sink, Semaphore credits) {
    }

    private final List<Stream> streams = new ArrayList<>();
    private final LongAdder received = new LongAdder();
    private final byte[] payload;

    /** One stream per channel: a sink worker "stream-sink-i" behind channel i, and a sender context. */
    ChannelStreams(Context app, List<Address> channels, int size) throws Exception {
        payload = new byte[size];
        for (int i = 0; i < channels.size(); i++) {
            Semaphore credits = new Semaphore(WINDOW);
            Address sink = Address.of("stream-sink-" + i);
            app.startWorker(sink, LocalMessage.class, (c, m) -> {
                received.increment();
                credits.release();
            }, AccessControl.allowAll());
            streams.add(new Stream(app.newContext(Address.random()), Route.of(channels.get(i), sink), credits));
        }
    }

    int size() {
        return streams.size();
    }

    /**
     * Runs streams 0 to k-1 at once: untimed for {@code warmUp}, then counts what their sinks receive during
     * {@code time}; stops the senders and waits until everything they sent has arrived. Returns MB/s (10^6 bytes).
     */
    double measure(int k, Duration warmUp, Duration time) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Stream s = streams.get(i);
            senders.add(Thread.ofVirtual().name("stream-" + i).start(() -> send(s, stop, failure)));
        }
        Thread.sleep(warmUp);
        long before = received.sum();
        long start = System.nanoTime();
        Thread.sleep(time);
        long count = received.sum() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        long stopBy = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Thread t : senders) {
            if (!t.join(Duration.ofNanos(Math.max(1, stopBy - System.nanoTime())))) {
                throw new IllegalStateException("a sender did not stop within " + STOP_TIMEOUT);
            }
        }
        for (int i = 0; i < k; i++) {
            Semaphore credits = streams.get(i).credits();
            if (!credits.tryAcquire(WINDOW, Math.max(1, stopBy - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("stream " + i + " still had messages in flight " + STOP_TIMEOUT + " after stopping");
            }
            credits.release(WINDOW);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a stream failed", failure.get());
        }
        return count * payload.length / 1e6 / seconds;
    }

    private void send(Stream s, AtomicBoolean stop, AtomicReference<Exception> failure) {
        try {
            while (!stop.get() && failure.get() == null) {
                if (!s.credits().tryAcquire(CREDIT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("no credit for " + CREDIT_TIMEOUT + ": the channel stalled");
                }
                s.sender().send(s.sink(), payload);
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }
}
