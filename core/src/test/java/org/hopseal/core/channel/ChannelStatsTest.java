package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChannelStatsTest {
    @Test
    void eachCounterCountsOnlyItsOwnEvents() {
        ChannelStats s = new ChannelStats();
        s.countDelivered();
        s.countTampered();
        s.countTampered();
        s.countReplayed();
        s.countReplayed();
        s.countReplayed();
        for (int i = 0; i < 4; i++) {
            s.countTooOld();
        }
        assertThat(s.delivered()).isEqualTo(1);
        assertThat(s.tampered()).isEqualTo(2);
        assertThat(s.replayed()).isEqualTo(3);
        assertThat(s.tooOld()).isEqualTo(4);
        assertThat(s).hasToString("ChannelStats{delivered=1, tampered=2, replayed=3, tooOld=4}");
    }

    @Test
    void aZeroIdleTimeoutMeansNoIdleTimeout() {
        assertThat(new ChannelTimeouts(Duration.ofSeconds(1), Duration.ZERO).idleEnabled()).isFalse();
        assertThat(new ChannelTimeouts(Duration.ofSeconds(1), Duration.ofMillis(30)).idleEnabled()).isTrue();
    }
}
