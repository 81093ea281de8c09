package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code hopseal soak|bench} with arguments they do not take: a usage error at once, no run, no stack trace. */
class BenchArgsIT {
    private static final Duration EXIT = Duration.ofSeconds(30);

    private static ChildJvm run(String main, String... args) throws Exception {
        return ChildJvm.start(Map.of(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", List.of(main), List.of(args));
    }

    @Test
    void soakRefusesAnUnknownArgumentAndABadNumber() throws Exception {
        try (ChildJvm soak = run("org.hopseal.benchmarks.Soak", "--help", "x")) {
            assertThat(soak.waitFor(EXIT)).isZero();
            assertThat(soak.stdout()).containsExactly("Usage: hopseal soak [OPTIONS]; 'hopseal soak --help' lists them");
        }
        try (ChildJvm soak = run("org.hopseal.benchmarks.Soak", "x")) {
            assertThat(soak.waitFor(EXIT)).isEqualTo(2);
            assertThat(soak.stderr()).containsExactly("hopseal soak: unknown option or argument 'x'",
                    "Try 'hopseal soak --help' for more information.");
            assertThat(soak.stdout()).isEmpty();
        }
        try (ChildJvm soak = run("org.hopseal.benchmarks.Soak", "--channels", "many")) {
            assertThat(soak.waitFor(EXIT)).isEqualTo(2);
            assertThat(soak.stderr()).first().isEqualTo("hopseal soak: option '--channels' takes a number, was 'many'");
        }
    }

    @Test
    void benchRefusesAnUnknownOptionBeforeMeasuringAnything() throws Exception {
        try (ChildJvm bench = run("org.hopseal.benchmarks.BenchMain", "--quik")) {
            assertThat(bench.waitFor(EXIT)).isEqualTo(2);
            assertThat(bench.stderr()).containsExactly("hopseal bench: unknown option or argument '--quik'",
                    "Try 'hopseal bench --help' for more information.");
        }
    }
}
