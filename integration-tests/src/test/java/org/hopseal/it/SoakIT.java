package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short form of the soak: two processes, many concurrent authenticated channels, messages of mixed sizes up to
 * 1 MiB, every message exactly once and in order per channel, heap, threads and workers back to the baseline. The
 * long form runs from the README: {@code ./hopseal soak --channels 1000 --messages 1000 --max-size 1048576 --minutes 30}.
 */
class SoakIT {
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // the soak process itself may take five
    void shortSoakAcrossTwoProcesses() throws Exception {
        try (ChildJvm soak = ChildJvm.start(java.util.Map.of(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                java.util.List.of("-Xmx2g", "org.hopseal.benchmarks.Soak"),
                java.util.List.of("--channels", "100", "--messages", "50", "--max-size", "1048576"))) {
            int exit = soak.waitFor(Duration.ofMinutes(5));
            assertThat(soak.stdout()).as(String.join("\n", soak.stderr())).anyMatch(l -> l.startsWith("SOAK OK"));
            assertThat(exit).isZero();
        }
    }
}
