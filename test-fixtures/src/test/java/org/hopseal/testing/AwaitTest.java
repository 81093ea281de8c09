package org.hopseal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsAsSoonAsTheConditionHolds() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Await.await(Duration.ofSeconds(10), () -> polls.incrementAndGet() >= 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void failsNamingTheConditionOnceTheDeadlinePasses() {
        assertThatThrownBy(() -> Await.await("the moon turned blue", Duration.ofMillis(50), () -> false))
                .isInstanceOf(AssertionError.class).hasMessageContaining("the moon turned blue").hasMessageContaining("PT0.05S");
    }

    @Test
    void holdsTellsWhetherTheConditionHeldInTime() throws Exception {
        assertThat(Await.holds(Duration.ofMillis(50), () -> false)).isFalse();
        assertThat(Await.holds(Duration.ZERO, () -> true)).isTrue();
    }

    @Test
    void stableReturnsACounterOnceItStopsMovingAndFailsWhileItMoves() throws Exception {
        AtomicInteger counter = new AtomicInteger();
        assertThat(Await.stable(() -> counter.get() < 5 ? counter.incrementAndGet() : 5, Duration.ofMillis(100), Duration.ofSeconds(10)))
                .isEqualTo(5);
        assertThatThrownBy(() -> Await.stable(counter::incrementAndGet, Duration.ofMillis(100), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("still changing");
    }
}
