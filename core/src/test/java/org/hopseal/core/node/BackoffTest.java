package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void waitsDoubleUpToTheLastAndStayThere() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
        Duration wait = b.first();
        StringBuilder waits = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            waits.append(wait.toMillis()).append(' ');
            wait = b.next(wait);
        }
        assertThat(waits.toString()).isEqualTo("250 500 1000 2000 2000 2000 ");
        assertThat(new Backoff(Duration.ofMillis(250), Duration.ofMillis(400)).next(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(400));
        assertThat(new Backoff(Duration.ofMillis(250), Duration.ofMillis(400)).next(Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void aBackoffWaitsAPositiveTimeAtMostItsLast() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).next(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    }
}
