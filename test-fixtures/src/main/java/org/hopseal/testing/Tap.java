package org.hopseal.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Worker;

/**
 * A hop that sees every message passing through it: started at an address that tests put first on a route
 * ({@code Route.of("tap", "listener")}), it records each message, and then forwards it (optionally with its payload
 * rewritten), holds it back for the test to forward later, or, once cut, drops it.
 *
 * <p>Thread safety: the worker runs on its node's thread; tests read and steer it from theirs.
 */
public final class Tap implements Worker<LocalMessage> {
    private final List<LocalMessage> passed = new CopyOnWriteArrayList<>();
    private final List<LocalMessage> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger forwarded = new AtomicInteger();
    private volatile boolean holding;
    private volatile boolean cut;
    private volatile long lastForwardedNanos;
    private volatile UnaryOperator<byte[]> rewrite = UnaryOperator.identity();

    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws HopsealException {
        if (cut) {
            return;
        }
        LocalMessage m = msg.body().stepForward().prependReturn(ctx.address());
        passed.add(m);
        if (holding) {
            held.add(m);
            return;
        }
        TransportMessage t = m.transportMessage();
        // Before forwarding, so that whoever receives the message hears it no earlier than this time.
        lastForwardedNanos = System.nanoTime();
        forwarded.incrementAndGet();
        ctx.forward(m.withTransportMessage(TransportMessage.wrap(t.onwardRoute(), t.returnRoute(), rewrite.apply(t.payload()))));
    }

    /** Every message that reached the tap before it was cut, as forwarded (next hop first, the tap on the return route). */
    public List<LocalMessage> passed() {
        return List.copyOf(passed);
    }

    /** From now on, messages are kept in {@link #held()} instead of forwarded. */
    public void hold() {
        holding = true;
    }

    /** Forwards messages again (those held stay held; the test forwards them as it likes). */
    public void release() {
        holding = false;
    }

    /** Waits up to {@code timeout} until at least {@code count} messages are held, and returns those held. */
    public List<LocalMessage> awaitHeld(int count, Duration timeout) throws InterruptedException {
        Await.await(count + " messages held by the tap", timeout, () -> held.size() >= count);
        return new ArrayList<>(held);
    }

    /** The messages held back so far. */
    public List<LocalMessage> held() {
        return List.copyOf(held);
    }

    /** Rewrites the payload of every message forwarded from now on (a corrupting hop). */
    public void rewrite(UnaryOperator<byte[]> payload) {
        rewrite = payload;
    }

    /** From now on, drops everything and closes nothing: a peer that fell silent. */
    public void cut() {
        cut = true;
    }

    /** How many messages the tap forwarded. */
    public int forwarded() {
        return forwarded.get();
    }

    /** {@link System#nanoTime()} just before the tap last forwarded a message. */
    public long lastForwardedNanos() {
        return lastForwardedNanos;
    }
}
