package org.hopseal.core.node;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running worker: its mailbox and the virtual thread that takes messages from it one at a time. A worker that
 * serves many peers runs as a {@link ServiceThread}; one dedicated to a single peer (a channel's workers) may wait for
 * that peer. Every message first passes the worker's {@link SendCheck} on its sender's thread.
 *
 * <p>A worker started {@linkplain WorkerOptions#onSendersThread on its senders' threads} handles a message that finds
 * it idle (nothing queued, nobody handling) at once on the thread that sends it, which saves waking its own thread;
 * a failure then is the sender's. Otherwise the message is queued as usual, and always when the sender is a
 * {@link ServiceThread}: such a worker is dedicated to one peer and may wait for it, which a thread serving many
 * must not do (an Echoer's reply waits in the channel's mailbox, not in a refusal). One thread at a time handles messages
 * (the turn lock), in the order they were queued; senders only try the lock, so none waits on another here, and a
 * worker that sends to itself while handling a message queues it. Such a worker has no thread of its own while
 * nothing is queued: a thread starts when a message is queued and ends when the mailbox is empty, so an idle
 * channel end costs no parked thread.
 */
final class WorkerCell<M> implements Destination {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCell.class);
    /** Outside input can make any worker refuse or fail at will: one line per interval for all workers of the JVM. */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.warnings(LOG);
    private static final RateLimitedLog FAILURES = RateLimitedLog.warnings(LOG);

    private final Address address;
    private final Worker<M> worker;
    private final Class<M> type;
    private final AccessControl accessControl;
    private final Exposure exposure;
    private final boolean dedicated;
    private final NodeContext context;
    private final Mailbox mailbox;
    private final boolean onSendersThread;
    private final SendCheck sendCheck;
    /** Held while the worker handles a message or shuts down, on whichever thread. */
    private final ReentrantLock turn = new ReentrantLock();
    /** Messages queued and not yet handled; a sender handles its message itself only while there are none. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Whether {@code initialize} has succeeded: only then may a sender's thread run the worker. */
    private volatile boolean ready;
    private volatile boolean closed;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Throwable initializeFailure;
    private volatile Thread thread;
    /** A worker on its senders' threads: whether a thread is taking its queued messages. */
    private final AtomicBoolean draining = new AtomicBoolean(true);


    WorkerCell(Address address, Worker<M> worker, Class<M> type, WorkerOptions options, NodeContext context) {
        this.address = address;
        this.worker = worker;
        this.type = type;
        this.accessControl = options.accessControl();
        this.exposure = options.exposure();
        this.dedicated = options.dedicated();
        this.context = context;
        this.mailbox = new Mailbox(options.capacity(), options.serviceWait());
        this.onSendersThread = options.onSendersThread();
        this.sendCheck = options.sendCheck();
    }

    /** Starts the thread and waits until {@code initialize} has run; returns its failure, if any. */
    Throwable start() throws InterruptedException {
        thread = Thread.ofVirtual().name("worker-" + address).start(this::run);
        started.await();
        return initializeFailure;
    }

    @Override
    public boolean admits(Origin origin) {
        return exposure.admits(origin, address);
    }

    @Override
    public void deliver(LocalMessage message) throws HopsealException {
        sendCheck.check(message);
        if (onSendersThread && ready && queued.get() == 0 && !closed && !ServiceThread.isCurrent()
                && !turn.isHeldByCurrentThread() && turn.tryLock()) {
            try {
                if (queued.get() == 0 && !closed) {
                    HopsealException failure = handle(message);
                    if (failure != null) {
                        throw failure;
                    }
                    return;
                }
            } finally {
                turn.unlock();
            }
        }
        queued.incrementAndGet();
        try {
            mailbox.put(message, address);
        } catch (HopsealException e) {
            queued.decrementAndGet();
            if (e.kind() == ErrorKind.UNAVAILABLE) {
                // Its sender learns it (a worker's send throws, and the runtime logs a worker's failure): counted here once.
                context.node().metrics().messageRefused();
            }
            throw e;
        } catch (RuntimeException e) {
            queued.decrementAndGet();
            throw e;
        }
        startDrainingIfIdle();
    }

    @Override
    public void close() {
        closed = true;
        mailbox.close();
        startDrainingIfIdle();
    }

    /** A worker on its senders' threads: starts a thread to take its queued messages unless one is running. */
    private void startDrainingIfIdle() {
        if (onSendersThread && draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("worker-" + address).start(() -> {
                if (!dedicated) {
                    ServiceThread.markCurrent();
                }
                if (drain()) {
                    finish();
                }
            });
        }
    }

    /** Whether a thread runs this worker's loop or takes its queued messages right now. */
    boolean hasThread() {
        return !onSendersThread || draining.get();
    }

    void awaitFinished(long millis) throws InterruptedException {
        if (Thread.currentThread() != thread) {
            finished.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    private void run() {
        if (!dedicated) {
            ServiceThread.markCurrent();
        }
        try {
            worker.initialize(context);
            ready = true;
        } catch (Throwable t) {
            initializeFailure = t;
            finished.countDown();
            return;
        } finally {
            started.countDown();
        }
        if (onSendersThread ? drain() : loop()) {
            finish();
        }
    }

    /** Runs the worker's {@code shutdown} (once its mailbox reached the closed marker) and marks it finished. */
    private void finish() {
        try {
            turn.lock();
            try {
                worker.shutdown(context);
            } catch (Throwable t) {
                LOG.warn("worker {} failed in shutdown: {}", address, t.toString());
            } finally {
                turn.unlock();
            }
        } finally {
            finished.countDown();
        }
    }

    /**
     * Takes queued messages until the mailbox is empty (then returns {@code false} and the thread ends; the next
     * queued message starts another) or reaches the closed marker ({@code true}). Once closed, it waits for the
     * marker, which a full mailbox may take a moment to admit.
     */
    private boolean drain() {
        thread = Thread.currentThread();
        while (true) {
            LocalMessage message;
            try {
                message = closed ? mailbox.take() : mailbox.poll(Duration.ZERO);
            } catch (InterruptedException e) {
                return true;
            }
            if (message == null) {
                draining.set(false);
                if ((mailbox.isEmpty() && !closed) || !draining.compareAndSet(false, true)) {
                    return false;
                }
            } else if (message == Mailbox.CLOSED) {
                return true;
            } else {
                handleQueued(message);
            }
        }
    }
    /** Takes messages until the closed marker ({@code true}) or an interrupt ({@code true} too: the node stops). */
    private boolean loop() {
        while (true) {
            LocalMessage message;
            try {
                message = mailbox.take();
            } catch (InterruptedException e) {
                return true;
            }
            if (message == Mailbox.CLOSED) {
                return true;
            }
            handleQueued(message);
        }
    }

    /** Handles a message taken from the mailbox, on the worker's own thread; a failure is logged. */
    private void handleQueued(LocalMessage message) {
        turn.lock();
        try {
            HopsealException failure = handle(message);
            if (failure != null) {
                failed(failure);
            }
        } finally {
            queued.decrementAndGet();
            turn.unlock();
        }
    }

    /**
     * Hands {@code message} to the worker, if its access control admits it and it decodes; the turn lock is held.
     * Returns the worker's {@link HopsealException}, if it threw one (for the sender's thread to throw, or the
     * worker's own to log); logs any other failure.
     */
    private HopsealException handle(LocalMessage message) {
        if (!accessControl.isAuthorized(message)) {
            refuse(message);
            return null;
        }
        if (type != LocalMessage.class && !message.origin().isLocal()
                && RoutingError.isRoutingError(Payloads.view(message.transportMessage()))) {
            // An error reply is for code that waits on receive(); a worker cannot act on it.
            LOG.debug("worker {} dropped an error reply from {}", address, LogText.of(message.origin()));
            return null;
        }
        Routed<M> routed;
        try {
            routed = new Routed<>(decode(message), message);
        } catch (HopsealException e) {
            FAILURES.warn("worker {} dropped a message it cannot decode as {}: {}", address, type.getSimpleName(),
                    LogText.of(e.getMessage()));
            return null;
        }
        try {
            worker.handleMessage(context, routed);
        } catch (HopsealException e) {
            return e;
        } catch (Throwable t) {
            failed(t);
        }
        return null;
    }

    /**
     * A message its access control refused: says whom in a rate-limited line (the peer's identifier, which is public, or
     * that the sender proved none), and answers the sender with an error reply over the connection or channel it came
     * by, so that it learns of the refusal instead of waiting for a reply that never comes.
     */
    private void refuse(LocalMessage message) {
        Origin origin = message.origin();
        String sender = origin.peerIdentifier().map(Identifier::value)
                .orElse(origin.isLocal() ? "local code" : "a sender with no authenticated identity");
        REFUSALS.warn("worker {} refused a message from {} by access control ({}, return route {})", address, sender,
                LogText.of(origin), LogText.of(message.returnRoute()));
        context.node().replyWithError(message, new RoutingException(ErrorKind.UNTRUSTED, "worker " + address
                + " refused the message: its access control does not admit " + sender));
    }

    private void failed(Throwable t) {
        if (FAILURES.warn("worker {} failed to handle a message and keeps running: {}", address, LogText.of(t))) {
            LOG.debug("worker {} failure", address, t);
        }
    }

    @SuppressWarnings("unchecked")
    private M decode(LocalMessage message) throws HopsealException {
        if (type == LocalMessage.class) {
            return (M) message;
        }
        return context.codecs().decode(type, Payloads.view(message.transportMessage()));
    }
}
