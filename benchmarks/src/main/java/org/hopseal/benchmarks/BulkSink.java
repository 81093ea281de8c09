package org.hopseal.benchmarks;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;

/**
 * The far end of a Hopseal bulk measurement ({@link Loopback#hopsealBulk(Context, org.hopseal.api.identity.Entity,
 * Route, int, long)}, {@link RelayBench#streams}), the same worker for the loopback rows ({@link LoopbackServer}) and the relay rows
 * ({@link RelayPeer}): it counts the messages of each channel, and answers a message "FLUSH" with its channel's
 * count since that channel's last flush (order per sender is kept, so it comes last) and starts counting again.
 */
final class BulkSink {
    static final Address ADDRESS = Address.of("sink");

    /** How long {@link #flush} waits for each answer. */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(15);
    /** How many flushes {@link #flush} sends before it gives up (a path that drops messages may drop one). */
    static final int FLUSH_ATTEMPTS = 2;
    /** The payload of "FLUSH", as the sink compares it without decoding each message. */
    private static final ByteBuffer FLUSH_PAYLOAD = ByteBuffer.wrap(MessageCodecs.STRING.encode("FLUSH")).asReadOnlyBuffer();

    private BulkSink() {
    }

    /**
     * Sends "FLUSH" to {@code sink} and returns its answer: the messages it counted since the last flush. A path
     * that drops messages may drop the flush too, so after {@link #FLUSH_TIMEOUT} without an answer it sends
     * another, {@link #FLUSH_ATTEMPTS} in all. {@code ctx} must receive nothing else, and be used for no other flush
     * after one that was not answered (a late answer would be taken for the next).
     */
    static long flush(Context ctx, Route sink) throws HopsealException {
        for (int attempt = 1; ; attempt++) {
            ctx.send(sink, "FLUSH");
            try {
                return Long.parseLong(ctx.receive(String.class, FLUSH_TIMEOUT));
            } catch (HopsealTimeoutException e) {
                if (attempt == FLUSH_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts the sink at {@link #ADDRESS}, reachable through the channels of {@code listener}; {@code received}, if
     * not null, also counts every message but the flushes (for a figure over many sinks).
     */
    static void start(Context ctx, String listener, LongAdder received) throws HopsealException {
        // Per channel, so that a channel that failed before its flush leaves nothing in the next one's count. The
        // worker handles one message at a time.
        Map<Object, long[]> counts = new HashMap<>();
        ctx.startWorker(ADDRESS, LocalMessage.class, (c, m) -> {
            Origin origin = m.body().origin();
            Object channel = origin instanceof Origin.Channel ch ? ch.channel() : origin;
            long[] count = counts.computeIfAbsent(channel, k -> new long[1]);
            ByteBuffer p = Payloads.view(m.body().transportMessage());
            if (p.equals(FLUSH_PAYLOAD)) {
                c.forward(new LocalMessage(TransportMessage.wrap(m.returnRoute(), Route.of(c.address()), c.codecs().encode(Long.toString(count[0])))));
                counts.remove(channel);
            } else {
                count[0]++;
                if (received != null) {
                    received.increment();
                }
            }
        }, Exposure.channelsOf(listener), AccessControl.allowAll());
    }
}
