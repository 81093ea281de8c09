package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.testing.HopsealAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MailboxTest {
    private static final Origin OUTSIDE = new Origin.Transport(Address.of("1#10.0.0.7:4000"), true);
    private static final String OWNER = "svc";
    private static final int MIB_16 = 16 * 1024 * 1024;

    interface Body {
        void run() throws Exception;
    }

    private static LocalMessage outside(byte[] payload) {
        return new LocalMessage(TransportMessage.wrap(Route.of("svc"), Route.empty(), payload)).withOrigin(OUTSIDE);
    }

    private static LocalMessage outside(int size) {
        return outside(new byte[size]);
    }

    private static LocalMessage local(byte[] payload) {
        return new LocalMessage(TransportMessage.wrap(Route.of("svc"), Route.empty(), payload));
    }

    /** Runs {@code body} on a new thread, as a service thread if {@code service}. */
    private static CompletableFuture<Void> async(boolean service, Body body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            if (service) {
                ServiceThread.markCurrent();
            }
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** Runs {@code body} on a new service thread and waits for it. */
    private static void asService(Body body) throws Exception {
        try {
            async(true, body).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        }
    }

    /** A mailbox whose worker has taken nothing for longer than {@link Mailbox#STALLED}. */
    private static Mailbox stalled(int capacity) throws InterruptedException {
        Mailbox m = new Mailbox(capacity);
        Thread.sleep(Mailbox.STALLED.toMillis() + 30);
        return m;
    }

    private static void assertRefused(Mailbox m, LocalMessage message, ErrorKind kind) throws Exception {
        asService(() -> assertHopsealError(kind, () -> m.put(message, OWNER)).isInstanceOf(RoutingException.class));
    }

    private static int drain(Mailbox m) throws InterruptedException {
        int n = 0;
        while (m.poll(Duration.ZERO) != null) {
            n++;
        }
        return n;
    }

    private static void assertStillWaiting(CompletableFuture<?> f, long millis) throws Exception {
        assertThatThrownBy(() -> f.get(millis, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void boundsAreThoseDocumented() {
        assertThat(Mailbox.OUTSIDE_MESSAGES).isEqualTo(4096);
        assertThat(Mailbox.OUTSIDE_BYTES).isEqualTo(32L * 1024 * 1024);
        assertThat(Mailbox.STALLED).isEqualTo(Duration.ofMillis(250));
        assertThat(Mailbox.MAX_WAIT).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void outsideBudgetHolds4096MessagesAndNotOneMore() throws Exception {
        Mailbox m = stalled(Integer.MAX_VALUE);
        asService(() -> {
            for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
                m.put(outside(1), OWNER);
            }
        });
        assertRefused(m, outside(1), ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES);
    }

    @Test
    void outsideBudgetHolds32MibOfPayloadAndNotOneByteMore() throws Exception {
        Mailbox m = stalled(Integer.MAX_VALUE);
        byte[] half = new byte[MIB_16];
        asService(() -> {
            m.put(outside(half), OWNER);
            m.put(outside(half), OWNER);
        });
        assertRefused(m, outside(1), ErrorKind.UNAVAILABLE);
        // An empty message still fits: the bytes stay exactly at the bound.
        asService(() -> m.put(outside(0), OWNER));
        assertThat(drain(m)).isEqualTo(3);
    }

    @Test
    void oneByteUnderTheByteBudgetLeavesRoomForOneByte() throws Exception {
        Mailbox m = stalled(Integer.MAX_VALUE);
        byte[] half = new byte[MIB_16];
        asService(() -> {
            m.put(outside(half), OWNER);
            m.put(outside(MIB_16 - 1), OWNER);
            m.put(outside(1), OWNER);
        });
        assertRefused(m, outside(1), ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(3);
    }

    @Test
    void aFirstOutsideMessageIsAlwaysAdmittedEvenIfLargerThanTheBudget() throws Exception {
        Mailbox m = stalled(Integer.MAX_VALUE);
        byte[] huge = new byte[(int) Mailbox.OUTSIDE_BYTES + 8 * 1024 * 1024];
        asService(() -> m.put(outside(huge), OWNER));
        // A second one, even empty, does not fit beside it.
        assertRefused(m, outside(0), ErrorKind.UNAVAILABLE);
        assertThat(Payloads.of(m.take().transportMessage())).isSameAs(huge);
        // Once taken, the budget is empty again and admits the next large message.
        asService(() -> m.put(outside(huge), OWNER));
        assertThat(drain(m)).isEqualTo(1);
    }

    @Test
    void takingAnOutsideMessageGivesItsBytesBack() throws Exception {
        Mailbox m = stalled(Integer.MAX_VALUE);
        byte[] half = new byte[MIB_16];
        asService(() -> {
            m.put(outside(half), OWNER);
            m.put(outside(half), OWNER);
        });
        assertRefused(m, outside(1), ErrorKind.UNAVAILABLE);
        m.take();
        // Just taken, so a service thread would wait rather than be refused; room is there at once.
        asService(() -> m.put(outside(half), OWNER));
        assertRefused(m, outside(1), ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(2);
    }

    @Test
    void localMessagesAreNeverBudgetedNorRefusedForRoom() throws Exception {
        Mailbox m = stalled(Integer.MAX_VALUE);
        byte[] half = new byte[MIB_16];
        asService(() -> {
            // Local bytes and counts take nothing from the budget for outside messages ...
            for (int i = 0; i < 3; i++) {
                m.put(local(half), OWNER);
            }
            for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES + 10; i++) {
                m.put(local(new byte[0]), OWNER);
            }
            m.put(outside(half), OWNER);
            m.put(outside(half), OWNER);
            // ... and a spent budget refuses none of them.
            for (int i = 0; i < 10_000; i++) {
                m.put(local(new byte[1]), OWNER);
            }
        });
        assertRefused(m, outside(1), ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(3 + Mailbox.OUTSIDE_MESSAGES + 10 + 2 + 10_000);
    }

    @Test
    void channelsWithinTheNodeAreLikeLocalCodeAndChannelsFromOutsideAreBudgeted() throws Exception {
        Origin withinNode = new Origin.Channel(Address.local("enc1"), Optional.empty(), Optional.of(Address.local("app")),
                Optional.empty(), Origin.LOCAL);
        Origin fromOutside = new Origin.Channel(Address.local("enc2"), Optional.of(Address.local("listener")),
                Optional.empty(), Optional.empty(), OUTSIDE);
        Mailbox m = stalled(Integer.MAX_VALUE);
        asService(() -> {
            for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
                m.put(outside(0).withOrigin(fromOutside), OWNER);
            }
            for (int i = 0; i < 100; i++) {
                m.put(local(new byte[0]).withOrigin(withinNode), OWNER);
            }
        });
        assertRefused(m, outside(0).withOrigin(fromOutside), ErrorKind.UNAVAILABLE);
        // Taking the channel messages from outside gives their room back; taking the others gives nothing.
        m.take();
        asService(() -> m.put(outside(0).withOrigin(fromOutside), OWNER));
        assertRefused(m, outside(0), ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES + 100);
    }

    @Test
    void takingAWithinNodeMessageGivesNothingBackToTheOutsideBudget() throws Exception {
        Origin withinNode = new Origin.Channel(Address.local("enc1"), Optional.empty(), Optional.of(Address.local("app")),
                Optional.empty(), Origin.LOCAL);
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        m.put(local(new byte[0]).withOrigin(withinNode), OWNER);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        assertThat(m.take().origin()).isEqualTo(withinNode);
        assertRefused(m, outside(0), ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES);
    }

    @Test
    void anInterruptedWaitingSenderIsToldOfShutdownAndKeepsItsInterrupt() throws Exception {
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread sender = Thread.ofPlatform().daemon().start(() -> {
            try {
                m.put(outside(0), OWNER);
                interrupted.completeExceptionally(new AssertionError("put succeeded"));
            } catch (RoutingException e) {
                if (e.kind() == ErrorKind.SHUTDOWN && e.getMessage().equals("interrupted while waiting for room at svc")) {
                    interrupted.complete(Thread.currentThread().isInterrupted());
                } else {
                    interrupted.completeExceptionally(e);
                }
            }
        });
        assertStillWaiting(interrupted, 100);
        sender.interrupt();
        assertThat(interrupted.get(5, TimeUnit.SECONDS)).isTrue();
        // Its reservation was given back: one take makes room for exactly one more.
        m.take();
        asService(() -> m.put(outside(0), OWNER));
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES);
    }

    @Test
    void takingALocalMessageGivesNothingBackToTheOutsideBudget() throws Exception {
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        m.put(local(new byte[10]), OWNER);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        assertThat(m.take().origin().isLocal()).isTrue();
        // The budget is still spent: the service thread waits STALLED after the take, then is refused.
        assertRefused(m, outside(0), ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES);
    }

    @Test
    void aDedicatedThreadWaitsForRoomAndSucceedsWhenATakeFreesIt() throws Exception {
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        LocalMessage last = outside(new byte[] {42});
        CompletableFuture<Void> put = async(false, () -> m.put(last, OWNER));
        // Longer than STALLED: a dedicated thread is not refused for a worker that takes nothing.
        assertStillWaiting(put, Mailbox.STALLED.toMillis() + 150);
        m.take();
        put.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES - 1; i++) {
            assertThat(m.poll(Duration.ZERO).transportMessage().payload()).isEmpty();
        }
        assertThat(m.poll(Duration.ZERO)).isSameAs(last);
        assertThat(m.poll(Duration.ZERO)).isNull();
    }

    @Test
    void aServiceThreadIsRefusedAtOnceWhenTheWorkerHasStalled() throws Exception {
        Mailbox m = stalled(Integer.MAX_VALUE);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        long start = System.nanoTime();
        asService(() -> assertHopsealError(ErrorKind.UNAVAILABLE, () -> m.put(outside(0), OWNER)).isInstanceOf(RoutingException.class)
                .hasMessage("svc is not keeping up: its mailbox is full"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        // The refused message was not queued, and its reservation was given back: after one take there is room.
        m.take();
        asService(() -> m.put(outside(0), OWNER));
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES);
    }

    @Test
    void aServiceThreadWaitsWhileTheWorkerKeepsTakingAndIsRefusedOnceItStops() throws Exception {
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        int locals = 8;
        for (int i = 0; i < locals; i++) {
            m.put(local(new byte[0]), OWNER);
        }
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        long start = System.nanoTime();
        CompletableFuture<Void> put = async(true, () -> m.put(outside(0), OWNER));
        // The worker takes a local message every 50 ms, which frees no outside room but shows it is alive.
        long lastTake = 0;
        for (int i = 0; i < locals; i++) {
            Thread.sleep(50);
            assertThat(put).isNotDone();
            assertThat(m.take().origin().isLocal()).isTrue();
            lastTake = System.nanoTime();
        }
        // 400 ms in, longer than STALLED, and still waiting rather than refused.
        assertThat(Duration.ofNanos(lastTake - start)).isGreaterThan(Mailbox.STALLED);
        assertThat(put).isNotDone();
        // Now the worker stops taking: the service thread gives up STALLED after the last take.
        assertThatThrownBy(() -> put.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RoutingException.class);
        long refusedAfter = System.nanoTime() - lastTake;
        assertThat(Duration.ofNanos(refusedAfter)).isGreaterThanOrEqualTo(Mailbox.STALLED.minusMillis(20));
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES);
    }

    @Test
    void aWaitingServiceThreadSucceedsWhenAnOutsideMessageIsTaken() throws Exception {
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        m.take();
        m.put(outside(0), OWNER);
        // Just taken: the service thread waits instead of being refused, and gets the room the next take frees.
        CompletableFuture<Void> put = async(true, () -> m.put(outside(0), OWNER));
        assertStillWaiting(put, 50);
        m.take();
        put.get(5, TimeUnit.SECONDS);
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES);
    }

    @Test
    void aClosedMailboxRefusesEveryPutWithNotFound() throws Exception {
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        LocalMessage queued = local(new byte[] {1});
        m.put(queued, OWNER);
        m.close();
        assertHopsealError(ErrorKind.NOT_FOUND, () -> m.put(local(new byte[0]), OWNER)).isInstanceOf(RoutingException.class)
                .hasMessage("the worker at svc has stopped");
        assertHopsealError(ErrorKind.NOT_FOUND, () -> m.put(outside(0), OWNER)).isInstanceOf(RoutingException.class);
        // What was queued is still taken, then the end marker, which stays once put back.
        assertThat(m.take()).isSameAs(queued);
        assertThat(m.take()).isSameAs(Mailbox.CLOSED);
        m.keepClosed();
        assertThat(m.poll(Duration.ofSeconds(1))).isSameAs(Mailbox.CLOSED);
    }

    @Test
    void closingWakesAWaitingSenderWithNotFound() throws Exception {
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        CompletableFuture<Void> put = async(false, () -> m.put(outside(0), OWNER));
        assertStillWaiting(put, 100);
        m.close();
        assertThatThrownBy(() -> put.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(RoutingException.class)
                .extracting(HopsealAssertions::kindOf).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void aBoundedMailboxMakesLocalSendersWaitOrRefusesServiceThreads() throws Exception {
        Mailbox m = stalled(2);
        m.put(local(new byte[] {1}), OWNER);
        m.put(local(new byte[] {2}), OWNER);
        assertRefused(m, local(new byte[] {3}), ErrorKind.UNAVAILABLE);
        LocalMessage third = local(new byte[] {3});
        CompletableFuture<Void> put = async(false, () -> m.put(third, OWNER));
        assertStillWaiting(put, Mailbox.STALLED.toMillis() + 100);
        assertThat(Payloads.of(m.take().transportMessage())).containsExactly(1);
        put.get(5, TimeUnit.SECONDS);
        assertThat(Payloads.of(m.take().transportMessage())).containsExactly(2);
        assertThat(m.take()).isSameAs(third);
        assertThat(m.isEmpty()).isTrue();
    }

    @Test
    void aServiceThreadWaitsTheMailboxsOwnServiceWaitForAWorkerThatTakesNothing() throws Exception {
        Mailbox m = new Mailbox(1, Duration.ofSeconds(10));
        m.put(local(new byte[] {1}), OWNER);
        LocalMessage reply = local(new byte[] {2});
        CompletableFuture<Void> put = async(true, () -> m.put(reply, OWNER));
        // Longer than STALLED, the default: this mailbox's service senders wait for its worker.
        assertStillWaiting(put, Mailbox.STALLED.toMillis() + 150);
        assertThat(Payloads.of(m.take().transportMessage())).containsExactly(1);
        put.get(5, TimeUnit.SECONDS);
        assertThat(m.take()).isSameAs(reply);
    }

    @Test
    void aServiceThreadIsRefusedOnceTheMailboxsServiceWaitPassesAndTheMessageIsNotQueued() throws Exception {
        Mailbox m = new Mailbox(1, Duration.ofMillis(300));
        m.put(local(new byte[] {1}), OWNER);
        CompletableFuture<Void> put = async(true, () -> m.put(local(new byte[] {2}), OWNER));
        assertThatThrownBy(() -> put.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(RoutingException.class)
                .hasMessage("svc is not keeping up: its mailbox is full")
                .extracting(HopsealAssertions::kindOf).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(1);
    }

    @Test
    void anOutsideMessageRefusedForCapacityGivesItsBudgetBack() throws Exception {
        Mailbox m = stalled(1);
        m.put(outside(0), OWNER);
        assertRefused(m, outside(0), ErrorKind.UNAVAILABLE);
        m.take();
        // Had the refused message kept its reservation, this one would be the second in the budget and too large.
        byte[] huge = new byte[(int) Mailbox.OUTSIDE_BYTES + 1];
        asService(() -> m.put(outside(huge), OWNER));
        assertThat(Payloads.of(m.take().transportMessage())).isSameAs(huge);
    }

    @Test
    void aLocalMessageRefusedForCapacityGivesNothingToTheOutsideBudget() throws Exception {
        Mailbox m = stalled(Mailbox.OUTSIDE_MESSAGES + 1);
        m.put(local(new byte[0]), OWNER);
        for (int i = 0; i < Mailbox.OUTSIDE_MESSAGES; i++) {
            m.put(outside(0), OWNER);
        }
        assertRefused(m, local(new byte[0]), ErrorKind.UNAVAILABLE);
        assertThat(m.take().origin().isLocal()).isTrue();
        // There is room in the queue, but the outside budget is still spent.
        assertRefused(m, outside(0), ErrorKind.UNAVAILABLE);
        assertThat(drain(m)).isEqualTo(Mailbox.OUTSIDE_MESSAGES);
    }

    @Test
    void closingAFullBoundedMailboxStillEndsItAfterWhatIsQueued() throws Exception {
        Mailbox m = new Mailbox(1);
        LocalMessage only = local(new byte[] {9});
        m.put(only, OWNER);
        m.close();
        assertThat(m.take()).isSameAs(only);
        assertThat(m.poll(Duration.ofSeconds(5))).isSameAs(Mailbox.CLOSED);
    }

    @Test
    void pollTimesOutWithNullOnAnEmptyMailbox() throws Exception {
        Mailbox m = new Mailbox(Integer.MAX_VALUE);
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.poll(Duration.ofMillis(10))).isNull();
        m.put(local(new byte[0]), OWNER);
        assertThat(m.isEmpty()).isFalse();
    }

    @Test
    void serviceThreadMarkIsPerThread() throws Exception {
        assertThat(ServiceThread.isCurrent()).isFalse();
        asService(() -> assertThat(ServiceThread.isCurrent()).isTrue());
        async(false, () -> assertThat(ServiceThread.isCurrent()).isFalse()).get(5, TimeUnit.SECONDS);
        assertThat(ServiceThread.isCurrent()).isFalse();
    }
}
