package org.hopseal.core.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.hopseal.api.node.TcpTransportOptions;
import org.junit.jupiter.api.Test;

class TcpTransportOptionsTest {
    private final TcpTransportOptions defaults = TcpTransportOptions.defaults();

    @Test
    void defaultsAreThoseDocumented() {
        assertThat(defaults.maxFrameSize()).isEqualTo(16 * 1024 * 1024 + 64 * 1024);
        assertThat(defaults.maxConnections()).isEqualTo(1024);
        assertThat(defaults.maxConnectionsPerHost()).isEqualTo(64);
        assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.maxQueuedBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void everyCountMustBePositive() {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatIllegalArgumentException().isThrownBy(() -> defaults.withMaxFrameSize(bad))
                    .withMessage("maxFrameSize must be positive, was " + bad);
            assertThatIllegalArgumentException().isThrownBy(() -> defaults.withMaxConnections(bad, 1))
                    .withMessageContaining("maxConnections must be positive");
            assertThatIllegalArgumentException().isThrownBy(() -> defaults.withMaxConnections(1, bad))
                    .withMessageContaining("maxConnectionsPerHost must be positive");
            assertThatIllegalArgumentException().isThrownBy(() -> defaults.withMaxQueuedBytes(bad))
                    .withMessageContaining("maxQueuedBytes must be positive");
        }
        TcpTransportOptions ones = defaults.withMaxFrameSize(1).withMaxConnections(1, 1).withMaxQueuedBytes(1);
        assertThat(ones.maxFrameSize()).isEqualTo(1);
        assertThat(ones.maxConnections()).isEqualTo(1);
        assertThat(ones.maxConnectionsPerHost()).isEqualTo(1);
        assertThat(ones.maxQueuedBytes()).isEqualTo(1);
    }

    @Test
    void everyDurationMustBePositive() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(-10)}) {
            assertThatIllegalArgumentException().isThrownBy(() -> defaults.withIdleTimeout(bad))
                    .withMessage("idleTimeout must be positive, was " + bad);
            assertThatIllegalArgumentException().isThrownBy(() -> defaults.withWriteTimeout(bad))
                    .withMessage("writeTimeout must be positive, was " + bad);
            assertThatIllegalArgumentException().isThrownBy(() -> defaults.withConnectTimeout(bad))
                    .withMessage("connectTimeout must be positive, was " + bad);
        }
        assertThatNullPointerException().isThrownBy(() -> defaults.withIdleTimeout(null)).withMessage("idleTimeout");
        assertThatNullPointerException().isThrownBy(() -> defaults.withWriteTimeout(null)).withMessage("writeTimeout");
        assertThatNullPointerException().isThrownBy(() -> defaults.withConnectTimeout(null)).withMessage("connectTimeout");
        TcpTransportOptions tiny = defaults.withIdleTimeout(Duration.ofNanos(1)).withWriteTimeout(Duration.ofNanos(1));
        assertThat(tiny.idleTimeout()).isEqualTo(Duration.ofNanos(1));
        assertThat(tiny.writeTimeout()).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void eachWitherChangesOnlyItsOwnField() {
        assertThat(defaults.withMaxFrameSize(5)).isEqualTo(new TcpTransportOptions(5, 1024, 64, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 4 * 1024 * 1024, Duration.ofSeconds(5)));
        assertThat(defaults.withMaxConnections(7, 3)).isEqualTo(new TcpTransportOptions(defaults.maxFrameSize(), 7, 3,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 4 * 1024 * 1024, Duration.ofSeconds(5)));
        assertThat(defaults.withIdleTimeout(Duration.ofSeconds(1))).isEqualTo(new TcpTransportOptions(defaults.maxFrameSize(), 1024, 64,
                Duration.ofSeconds(1), Duration.ofSeconds(30), 4 * 1024 * 1024, Duration.ofSeconds(5)));
        assertThat(defaults.withWriteTimeout(Duration.ofSeconds(2))).isEqualTo(new TcpTransportOptions(defaults.maxFrameSize(), 1024,
                64, Duration.ofSeconds(10), Duration.ofSeconds(2), 4 * 1024 * 1024, Duration.ofSeconds(5)));
        assertThat(defaults.withMaxQueuedBytes(9)).isEqualTo(new TcpTransportOptions(defaults.maxFrameSize(), 1024, 64,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 9, Duration.ofSeconds(5)));
        assertThat(defaults.withConnectTimeout(Duration.ofMillis(700))).isEqualTo(new TcpTransportOptions(defaults.maxFrameSize(), 1024,
                64, Duration.ofSeconds(10), Duration.ofSeconds(30), 4 * 1024 * 1024, Duration.ofMillis(700)));
    }
}
