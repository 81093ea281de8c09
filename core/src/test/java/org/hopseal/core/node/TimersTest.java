package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.HopsealException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's timers: one thread runs them in time order, as a service thread; cancelled timers never run, a
 * failing one does not stop the others, and stopping the node ends them all. A later timer is the fence that
 * proves an earlier one did not run, so no test waits on a guess.
 */
class TimersTest {
    private static final Duration SOON = Duration.ofMillis(20);
    private static final Duration LATER = Duration.ofMillis(80);
    private final Node node = startNode();
    private final Timers timers = Timers.of(node);
    private final List<String> ran = new CopyOnWriteArrayList<>();

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

    /** A timer after {@code delay} that releases the returned latch. */
    private CountDownLatch fence(Duration delay) {
        CountDownLatch done = new CountDownLatch(1);
        timers.once(delay, done::countDown);
        return done;
    }

    @Test
    void oneThreadPerNodeRunsTimersInTimeOrderAsAServiceThread() throws Exception {
        assertThat(Timers.of(node)).isSameAs(timers);
        List<Boolean> service = new CopyOnWriteArrayList<>();
        timers.once(LATER, () -> ran.add("later"));
        timers.once(SOON, () -> {
            ran.add("soon");
            service.add(ServiceThread.isCurrent());
        });
        assertThat(fence(LATER.multipliedBy(2)).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("soon", "later");
        assertThat(service).containsExactly(true);
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aCancelledTimerNeverRunsAndCancellingTwiceIsHarmless() throws Exception {
        // Due well after the cancel, however slowly this test starts; the fence after it proves it did not run.
        Duration due = Duration.ofSeconds(1);
        Timers.Timer t = timers.once(due, () -> ran.add("cancelled"));
        assertThat(timers.pending()).isEqualTo(1);
        t.cancel();
        t.cancel();
        assertThat(timers.pending()).as("removed at once").isZero();
        assertThat(fence(due.plus(SOON)).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void aRepeatingTimerRunsUntilCancelledAndOneThatFailsDoesNotStopTheOthers() throws Exception {
        CountDownLatch thrice = new CountDownLatch(3);
        timers.once(Duration.ofMillis(1), () -> {
            throw new IllegalStateException("a timer bug");
        });
        Timers.Timer repeating = timers.every(Duration.ofMillis(5), () -> {
            ran.add("tick");
            thrice.countDown();
        });
        assertThat(thrice.await(5, TimeUnit.SECONDS)).isTrue();
        repeating.cancel();
        int ticks = ran.size();
        assertThat(fence(LATER).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(ticks);
    }

    @Test
    void stoppingTheNodeDropsEveryTimerAndLaterOnesAreNotScheduled() throws Exception {
        timers.once(SOON, () -> ran.add("dropped"));
        node.stop();
        assertThat(timers.pending()).isZero();
        timers.once(Duration.ZERO, () -> ran.add("after stop")).cancel();
        assertThat(timers.pending()).isZero();
        assertThat(ran).isEmpty();
    }
}
