package org.hopseal.core.node;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;

/**
 * A FIFO of messages for one address. Unbounded by default, so that request/reply never deadlocks; bounded for the
 * writers that face a slower peer (transport senders, channel encryptors), whose senders then block (backpressure).
 */
final class Mailbox {
    /** Marks the end of a mailbox; stays at its head once reached. */
    static final LocalMessage CLOSED = new LocalMessage(TransportMessage.wrap(Route.empty(), Route.empty(), new byte[0]));

    private final LinkedBlockingQueue<LocalMessage> queue;

    Mailbox(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    void put(LocalMessage message) throws RoutingException {
        try {
            queue.put(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoutingException(ErrorKind.SHUTDOWN, "interrupted while waiting for room in a mailbox");
        }
    }

    /** Closes the mailbox: whatever is queued is still taken, then {@link #CLOSED}. */
    void close() {
        // Never blocks: a full bounded mailbox gets the marker as soon as there is room.
        if (!queue.offer(CLOSED)) {
            Thread.ofVirtual().start(() -> {
                try {
                    queue.put(CLOSED);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Whether nothing waits in this mailbox right now. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    LocalMessage take() throws InterruptedException {
        return queue.take();
    }

    /** The next message, {@code null} on timeout. */
    LocalMessage poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Puts the closed marker back so every later reader sees it too. */
    void keepClosed() {
        queue.offer(CLOSED);
    }
}
