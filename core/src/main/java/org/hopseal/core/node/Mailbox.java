package org.hopseal.core.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;

/**
 * A FIFO of messages for one address.
 *
 * <p>Messages from code of this node (directly or through channels whose both ends are here) are never refused for
 * room unless the mailbox has a capacity (the writers that face a slower peer: channel encryptors), so request/reply
 * within a node never deadlocks. Messages that entered from outside (a transport, a channel to another node) share a
 * budget of {@value #OUTSIDE_MESSAGES} messages and
 * {@value #OUTSIDE_BYTES} payload bytes per mailbox (one message is always admitted into an empty budget). When
 * the budget or the capacity is spent, a thread dedicated to one peer waits up to {@link #MAX_WAIT} for room (the
 * backpressure reaches that peer's connection); a {@link ServiceThread} waits while the worker keeps taking messages
 * and, when it takes none, for the mailbox's service wait ({@link #STALLED} unless its worker was started with
 * another, as a channel's encryptor is), so a worker stuck behind a stalled peer costs it at most that wait once. A
 * sender that gives up gets {@code UNAVAILABLE}, and the message is not queued. A closed mailbox refuses everything.
 */
final class Mailbox {
    /** Marks the end of a mailbox; stays at its head once reached. */
    static final LocalMessage CLOSED = new LocalMessage(TransportMessage.wrap(Route.empty(), Route.empty(), new byte[0]));
    /** The most messages from outside that may wait in one mailbox. */
    static final int OUTSIDE_MESSAGES = 4096;
    /** The most payload bytes from outside that may wait in one mailbox. */
    static final long OUTSIDE_BYTES = 32L * 1024 * 1024;
    /** The longest a dedicated sender waits for room. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** How long a worker may take no message before service threads stop waiting for it, unless it says otherwise. */
    static final Duration STALLED = Duration.ofMillis(250);
    private static final long WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final VarHandle ROOM;

    static {
        try {
            ROOM = MethodHandles.lookup().findVarHandle(Mailbox.class, "room", Room.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LinkedBlockingQueue<LocalMessage> queue;
    /** How long a service thread waits for room while the worker takes no message. */
    private final long serviceWaitNanos;
    private volatile boolean closed;
    /** Made on first need (an outside message, or no room); most mailboxes never need it. */
    private volatile Room room;

    /** The outside budget, and what senders waiting for room need. */
    private static final class Room {
        final AtomicInteger outsideMessages = new AtomicInteger();
        final AtomicLong outsideBytes = new AtomicLong();
        final AtomicInteger waiting = new AtomicInteger();
        final ReentrantLock lock = new ReentrantLock();
        final Condition freed = lock.newCondition();
        /** When the worker last took a message, since this room exists. */
        volatile long lastTake = System.nanoTime();

        boolean reserve(long size) {
            int count = outsideMessages.incrementAndGet();
            long bytes = outsideBytes.addAndGet(size);
            if (count == 1 || (count <= OUTSIDE_MESSAGES && bytes <= OUTSIDE_BYTES)) {
                return true;
            }
            release(size);
            return false;
        }

        void release(long size) {
            outsideMessages.decrementAndGet();
            outsideBytes.addAndGet(-size);
        }

        void signalWaiting() {
            if (waiting.get() > 0) {
                lock.lock();
                try {
                    freed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    Mailbox(int capacity) {
        this(capacity, STALLED);
    }

    /** A mailbox of {@code capacity} whose service senders wait up to {@code serviceWait} for a worker that takes nothing. */
    Mailbox(int capacity, Duration serviceWait) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.serviceWaitNanos = serviceWait.toNanos();
    }

    private Room room() {
        Room r = room;
        if (r == null) {
            ROOM.compareAndSet(this, null, new Room());
            r = room;
        }
        return r;
    }

    /** Whether {@code message} counts against the outside budget: it crossed the node's boundary. */
    private static boolean isOutside(LocalMessage message) {
        return !message.origin().isLocal() && !message.origin().isWithinNode();
    }

    /** Queues {@code message} for {@code owner}, or refuses it as this class describes. */
    void put(LocalMessage message, Object owner) throws RoutingException {
        if (closed) {
            throw stopped(owner);
        }
        boolean outside = isOutside(message);
        long size = message.transportMessage().payloadLength();
        Room r = outside ? room() : null;
        if (outside && !r.reserve(size)) {
            awaitRoom(r, () -> r.reserve(size), owner);
        }
        try {
            if (!queue.offer(message)) {
                awaitRoom(room(), () -> queue.offer(message), owner);
            }
        } catch (RoutingException e) {
            if (outside) {
                r.release(size);
            }
            throw e;
        }
    }

    /**
     * Waits until {@code admit} succeeds. A dedicated thread waits up to {@link #MAX_WAIT}; a service thread waits
     * only while the mailbox's worker is taking messages, and is refused once it has taken none for the service wait.
     */
    private void awaitRoom(Room r, BooleanSupplier admit, Object owner) throws RoutingException {
        boolean service = ServiceThread.isCurrent();
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        r.waiting.incrementAndGet();
        r.lock.lock();
        try {
            while (!admit.getAsBoolean()) {
                if (closed) {
                    throw stopped(owner);
                }
                long now = System.nanoTime();
                if (now - deadline > 0 || (service && now - r.lastTake > serviceWaitNanos)) {
                    throw new RoutingException(ErrorKind.UNAVAILABLE, owner + " is not keeping up: its mailbox is full");
                }
                r.freed.awaitNanos(WAIT_STEP_NANOS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoutingException(ErrorKind.SHUTDOWN, "interrupted while waiting for room at " + owner);
        } finally {
            r.lock.unlock();
            r.waiting.decrementAndGet();
        }
    }

    private static RoutingException stopped(Object owner) {
        return new RoutingException(ErrorKind.NOT_FOUND, "the worker at " + owner + " has stopped");
    }

    /** Closes the mailbox: whatever is queued is still taken, then {@link #CLOSED}; later puts are refused. */
    void close() {
        closed = true;
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
        Room r = room;
        if (r != null) {
            r.lock.lock();
            try {
                r.freed.signalAll();
            } finally {
                r.lock.unlock();
            }
        }
    }

    /** Whether nothing waits in this mailbox right now. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    LocalMessage take() throws InterruptedException {
        return taken(queue.take());
    }

    /** The next message, {@code null} on timeout. */
    LocalMessage poll(Duration timeout) throws InterruptedException {
        return taken(queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    private LocalMessage taken(LocalMessage message) {
        Room r = room;
        if (r == null || message == null || message == CLOSED) {
            return message;
        }
        r.lastTake = System.nanoTime();
        if (isOutside(message)) {
            r.release(message.transportMessage().payloadLength());
        }
        r.signalWaiting();
        return message;
    }

    /** Puts the closed marker back so every later reader sees it too. */
    void keepClosed() {
        queue.offer(CLOSED);
    }
}
