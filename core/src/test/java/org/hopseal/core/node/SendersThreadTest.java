package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker started on its senders' threads handles a message that finds it idle on the sending thread, and queues
 * the rest in order: one thread at a time, never re-entered, never before it is initialized or after it stopped.
 */
class SendersThreadTest {
    private static final Duration T = Duration.ofSeconds(5);
    private final Node node = startNode();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private static Node startNode() {
        try {
            return Node.start();
        } catch (HopsealException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    /** Records each message and the thread that handled it; "block" waits for {@code release}; "self" sends "again" to itself. */
    private final class Recorder implements Worker<String> {
        final CountDownLatch blocking = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch shutDown = new CountDownLatch(1);

        @Override
        public void shutdown(Context ctx) {
            shutDown.countDown();
        }

        @Override
        public void handleMessage(Context ctx, Routed<String> msg) throws Exception {
            threads.add(Thread.currentThread());
            handled.add(msg.body());
            switch (msg.body()) {
                case "block" -> {
                    blocking.countDown();
                    release.await(T.toSeconds(), TimeUnit.SECONDS);
                }
                case "self" -> ctx.send(ctx.address().toString(), "again");
                case "fail" -> throw new RoutingException(ErrorKind.UNAVAILABLE, "refused by the worker");
                default -> { }
            }
        }
    }

    private Recorder start(String address, WorkerOptions options) throws HopsealException {
        Recorder r = new Recorder();
        node.startWorker(Address.of(address), String.class, r, options);
        return r;
    }

    /** Sends "block" to {@code r} from another thread and returns that thread once {@code r} is busy with it. */
    private Thread busyWith(Recorder r) throws InterruptedException {
        Thread blocker = Thread.ofVirtual().start(() -> {
            try {
                node.context().send("w", "block");
            } catch (HopsealException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(r.blocking.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return blocker;
    }

    private static WorkerOptions sendersThread() {
        return WorkerOptions.dedicated(Exposure.none(), 16).withSendersThread();
    }

    @Test
    void anIdleWorkerHandlesTheMessageOnTheSendersThreadAndItsFailureIsTheSenders() throws Exception {
        start("w", sendersThread());
        node.context().send("w", "one");
        assertThat(handled).as("handled before send returned").containsExactly("one");
        assertThat(threads).containsExactly(Thread.currentThread());

        assertHopsealError(ErrorKind.UNAVAILABLE, () -> node.context().send("w", "fail")).hasMessageContaining("refused by the worker");
    }

    @Test
    void aWorkerWithoutTheOptionAlwaysRunsOnItsOwnThreadAndItsFailureIsLogged() throws Exception {
        start("w", WorkerOptions.dedicated(Exposure.none(), 16));
        node.context().send("w", "fail");
        node.context().send("w", "one");
        Await.await("both handled", T, () -> handled.size() == 2);
        assertThat(threads).doesNotContain(Thread.currentThread());
    }

    @Test
    void aServiceThreadNeverRunsTheWorkerItQueuesForTheWorkersOwnThread() throws Exception {
        start("w", sendersThread());
        List<Thread> serviceThreads = new CopyOnWriteArrayList<>();
        node.startWorker(Address.of("service"), String.class, (ctx, msg) -> {
            serviceThreads.add(Thread.currentThread());
            ctx.send("w", msg.body());
        }, WorkerOptions.service(Exposure.none(), AccessControl.allowAll()));
        node.context().send("service", "from a service");
        Await.await("handled", T, () -> handled.size() == 1);
        assertThat(serviceThreads).hasSize(1);
        assertThat(threads).as("the worker may wait for its peer; a thread serving many must not")
                .doesNotContain(serviceThreads.get(0), Thread.currentThread());
    }

    @Test
    void whileTheWorkerIsBusyMessagesAreQueuedAndHandledInOrderByItsOwnThread() throws Exception {
        Recorder r = start("w", sendersThread());
        Thread blocker = busyWith(r);
        for (int i = 0; i < 5; i++) {
            node.context().send("w", "m" + i);
        }
        assertThat(handled).as("nothing overtakes the busy message").containsExactly("block");
        r.release.countDown();
        blocker.join(T.toMillis());
        Await.await("the queued messages are handled", T, () -> handled.size() == 6);
        assertThat(handled).containsExactly("block", "m0", "m1", "m2", "m3", "m4");
        assertThat(threads.subList(1, 6)).as("queued messages run on the worker's own thread")
                .doesNotContain(Thread.currentThread(), blocker);

        node.context().send("w", "idle again");
        assertThat(handled).as("idle again: handled on the sender's thread").endsWith("idle again");
        assertThat(threads.get(6)).isSameAs(Thread.currentThread());
    }

    @Test
    void anIdleWorkerHoldsNoThreadAQueuedMessageStartsOneThatEndsWhenTheMailboxIsEmpty() throws Exception {
        Recorder r = start("w", sendersThread());
        Address w = Address.of("w");
        Await.await("the initializing thread ends", T, () -> !node.hasWorkerThread(w));
        Thread blocker = busyWith(r);
        node.context().send("w", "queued");
        assertThat(node.hasWorkerThread(w)).as("a queued message started a thread").isTrue();
        r.release.countDown();
        Await.await("the queued message is handled", T, () -> handled.size() == 2);
        Await.await("the thread ends with the empty mailbox", T, () -> !node.hasWorkerThread(w));
        assertThat(blocker.join(T)).isTrue();

        node.stopWorker(w, "stopped by the test");
        Await.await("stopping an idle worker still runs its shutdown", T, () -> r.shutDown.getCount() == 0);
    }

    @Test
    void aWorkerThatSendsToItselfIsNotReEnteredTheMessageIsQueued() throws Exception {
        start("w", sendersThread());
        node.context().send("w", "self");
        Await.await("'again' is handled after", T, () -> handled.size() == 2);
        assertThat(handled).containsExactly("self", "again");
        assertThat(threads.get(0)).as("'self' found the worker idle").isSameAs(Thread.currentThread());
        assertThat(threads.get(1)).as("'again' was queued for the worker's own thread, not run inside 'self'")
                .isNotSameAs(Thread.currentThread());
    }

    @Test
    void messagesSentBeforeInitializeEndsWaitForIt() throws Exception {
        CountDownLatch initializing = new CountDownLatch(1);
        CountDownLatch finishInitialize = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        Thread starter = Thread.ofVirtual().start(() -> {
            try {
                node.startWorker(Address.of("w"), String.class, new Worker<String>() {
                    @Override
                    public void initialize(Context ctx) throws InterruptedException {
                        initializing.countDown();
                        finishInitialize.await(T.toSeconds(), TimeUnit.SECONDS);
                        events.add("initialized");
                    }

                    @Override
                    public void handleMessage(Context ctx, Routed<String> msg) {
                        events.add(msg.body());
                    }
                }, sendersThread());
            } catch (HopsealException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(initializing.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
        node.context().send("w", "early");
        assertThat(events).as("not handled before initialize ends").isEmpty();
        finishInitialize.countDown();
        starter.join(T.toMillis());
        Await.await("the early message is handled", T, () -> events.size() == 2);
        assertThat(events).containsExactly("initialized", "early");
    }

    @Test
    void aStoppedWorkerHandlesNothingMore() throws Exception {
        start("w", sendersThread());
        node.context().send("w", "one");
        node.stopWorker(Address.of("w"), "stopped by the test");
        assertHopsealError(ErrorKind.NOT_FOUND, () -> node.context().send("w", "two"));
        assertThat(handled).containsExactly("one");
    }
}
