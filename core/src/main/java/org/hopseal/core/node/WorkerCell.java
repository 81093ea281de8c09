package org.hopseal.core.node;

import java.util.concurrent.CountDownLatch;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running worker: its mailbox and the virtual thread that takes messages from it one at a time.
 */
final class WorkerCell<M> implements Destination {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCell.class);

    private final Address address;
    private final Worker<M> worker;
    private final Class<M> type;
    private final AccessControl accessControl;
    private final NodeContext context;
    private final Mailbox mailbox;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private FlushBatch flushes;
    private volatile Throwable initializeFailure;
    private volatile Thread thread;

    WorkerCell(Address address, Worker<M> worker, Class<M> type, AccessControl accessControl, NodeContext context,
            int mailboxCapacity) {
        this.address = address;
        this.worker = worker;
        this.type = type;
        this.accessControl = accessControl;
        this.context = context;
        this.mailbox = new Mailbox(mailboxCapacity);
    }

    /** Starts the thread and waits until {@code initialize} has run; returns its failure, if any. */
    Throwable start() throws InterruptedException {
        thread = Thread.ofVirtual().name("worker-" + address).start(this::run);
        started.await();
        return initializeFailure;
    }

    @Override
    public void deliver(LocalMessage message) throws HopsealException {
        mailbox.put(message);
    }

    @Override
    public void close() {
        mailbox.close();
    }

    void awaitFinished(long millis) throws InterruptedException {
        if (Thread.currentThread() != thread) {
            finished.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void run() {
        try {
            try {
                worker.initialize(context);
            } catch (Throwable t) {
                initializeFailure = t;
                return;
            } finally {
                started.countDown();
            }
            flushes = FlushBatch.bindToCurrentThread();
            loop();
            flushes.flushPending();
            try {
                worker.shutdown(context);
            } catch (Throwable t) {
                LOG.warn("worker {} failed in shutdown: {}", address, t.toString());
            }
        } finally {
            finished.countDown();
        }
    }

    private void loop() {
        while (true) {
            LocalMessage message;
            try {
                message = mailbox.take();
            } catch (InterruptedException e) {
                return;
            }
            if (message == Mailbox.CLOSED) {
                return;
            }
            if (!accessControl.isAuthorized(message)) {
                LOG.warn("worker {} refused a message by access control (return route {})", address, message.returnRoute());
                continue;
            }
            Routed<M> routed;
            try {
                routed = new Routed<>(decode(message), message);
            } catch (HopsealException e) {
                LOG.warn("worker {} dropped a message it cannot decode as {}: {}", address, type.getSimpleName(), e.getMessage());
                continue;
            }
            flushes.beforeMessage(!mailbox.isEmpty());
            try {
                worker.handleMessage(context, routed);
            } catch (Throwable t) {
                LOG.warn("worker {} failed to handle a message and keeps running: {}", address, t.toString(), t);
            }
            flushes.afterMessage(!mailbox.isEmpty());
        }
    }

    @SuppressWarnings("unchecked")
    private M decode(LocalMessage message) throws HopsealException {
        if (type == LocalMessage.class) {
            return (M) message;
        }
        return context.codecs().decode(type, message.transportMessage().payloadUnsafe());
    }
}
