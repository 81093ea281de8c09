package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the node's locks and a worker's turn promise across threads: a lock taken on one thread never stays held for
 * the next, a stopped worker runs its shutdown, and shutdown never overlaps a message being handled.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NodeLocksTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** Runs {@code call} on another thread and returns what it gave; fails if it does not return within {@link #T}. */
    private static <V> V onAnotherThread(CheckedSupplier<V> call) throws Exception {
        CompletableFuture<V> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                done.complete(call.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    @FunctionalInterface
    interface CheckedSupplier<V> {
        V get() throws Exception;
    }

    @Test
    void aReasonRecordedOnOneThreadIsReadOnAnotherWithoutWaiting() throws Exception {
        try (Node node = Node.start()) {
            onAnotherThread(() -> {
                node.stopWorker(Address.local("gone"), "first reason");
                return null;
            });
            assertHopsealError(ErrorKind.NOT_FOUND, () -> node.context().send("gone", "x")).hasMessageContaining("(first reason)");
            // ... and a reason read on this thread does not keep the next writer out.
            String second = onAnotherThread(() -> {
                node.stopWorker(Address.local("gone"), "second reason");
                try {
                    node.context().send("gone", "x");
                    return "routed";
                } catch (HopsealException e) {
                    return e.getMessage();
                }
            });
            assertThat(second).contains("(second reason)");
        }
    }

    @Test
    void aNodeStoppedOnOneThreadStillAnswersForItsVaultsOnAnother() throws Exception {
        Node node = Node.start();
        Vaults vaults = node.vaults();
        node.stop();
        assertThat(onAnotherThread(node::vaults)).isSameAs(vaults);
    }

    @Test
    void stoppingAWorkerRunsItsShutdown() throws Exception {
        try (Node node = Node.start()) {
            CountDownLatch shutDown = new CountDownLatch(1);
            node.context().startWorker("w", new Worker<String>() {
                @Override
                public void handleMessage(Context ctx, Routed<String> msg) {
                }

                @Override
                public void shutdown(Context ctx) {
                    shutDown.countDown();
                }
            });
            node.context().stopWorker(Address.local("w"));
            assertThat(shutDown.await(T.toSeconds(), TimeUnit.SECONDS)).as("shutdown ran").isTrue();
            assertThat(node.isRegistered(Address.local("w"))).isFalse();
        }
    }

    @Test
    void aWorkerOnItsSendersThreadsShutsDownOnlyAfterTheMessageItIsHandling() throws Exception {
        try (Node node = Node.start()) {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean handling = new AtomicBoolean();
            AtomicBoolean overlapped = new AtomicBoolean();
            CountDownLatch shutDown = new CountDownLatch(1);
            node.startWorker(Address.local("w"), String.class, new Worker<String>() {
                @Override
                public void handleMessage(Context ctx, Routed<String> msg) throws InterruptedException {
                    handling.set(true);
                    busy.countDown();
                    release.await(T.toSeconds(), TimeUnit.SECONDS);
                    handling.set(false);
                }

                @Override
                public void shutdown(Context ctx) {
                    overlapped.set(handling.get());
                    shutDown.countDown();
                }
            }, WorkerOptions.dedicated(Exposure.none(), 16).withSendersThread());
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    node.context().send("w", "block");
                } catch (HopsealException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(busy.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
            node.stopWorker(Address.local("w"), "stopped by the test");
            assertThat(Await.holds(Duration.ofMillis(150), () -> shutDown.getCount() == 0))
                    .as("shutdown waits for the message being handled").isFalse();
            release.countDown();
            assertThat(shutDown.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(overlapped).as("shutdown overlapped a message").isFalse();
            sender.join(T);
        }
    }

    @Test
    void queuedMessagesOfAServiceWorkerOnItsSendersThreadsRunOnAServiceThreadAndADedicatedOnesDoNot() throws Exception {
        try (Node node = Node.start()) {
            BlockingQueue<Boolean> marks = new LinkedBlockingQueue<>();
            Worker<String> mark = (c, m) -> marks.add(ServiceThread.isCurrent());
            node.startWorker(Address.local("service"), String.class, mark,
                    WorkerOptions.service(Exposure.none(), AccessControl.allowAll()).withSendersThread());
            node.startWorker(Address.local("dedicated"), String.class, mark,
                    WorkerOptions.dedicated(Exposure.none(), 16).withSendersThread());
            // A service thread never runs the worker itself: its message is queued for the worker's own thread.
            onAnotherThread(() -> {
                ServiceThread.markCurrent();
                node.context().send("service", "x");
                return null;
            });
            assertThat(marks.poll(T.toSeconds(), TimeUnit.SECONDS)).as("the service worker's own thread").isTrue();
            onAnotherThread(() -> {
                ServiceThread.markCurrent();
                node.context().send("dedicated", "x");
                return null;
            });
            assertThat(marks.poll(T.toSeconds(), TimeUnit.SECONDS)).as("the dedicated worker's own thread").isFalse();
        }
    }
}
