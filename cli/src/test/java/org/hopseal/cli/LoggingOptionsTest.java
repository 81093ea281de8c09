package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --log-level}, {@code -v} and {@code -q} set the simple logger's level, on every command. */
class LoggingOptionsTest {
    private String before;

    @BeforeEach
    void keepTheLevel() {
        before = System.getProperty(LogLevel.PROPERTY);
    }

    @AfterEach
    void restoreTheLevel() {
        if (before == null) {
            System.clearProperty(LogLevel.PROPERTY);
        } else {
            System.setProperty(LogLevel.PROPERTY, before);
        }
    }

    private static String levelAfter(String... args) {
        System.clearProperty(LogLevel.PROPERTY);
        Captured run = Captured.run(args);
        assertThat(run.exit()).as(run.err()).isZero();
        return System.getProperty(LogLevel.PROPERTY);
    }

    @Test
    void eachLevelIsTakenInAnyCaseBeforeOrAfterTheSubcommand() {
        assertThat(levelAfter("--log-level", "info", "identity", "list")).isEqualTo("info");
        assertThat(levelAfter("identity", "list", "--log-level", "DEBUG")).isEqualTo("debug");
        assertThat(levelAfter("identity", "--log-level", "Error", "list")).isEqualTo("error");
        assertThat(levelAfter("identity", "list", "--log-level", "warn")).isEqualTo("warn");
    }

    @Test
    void vIsDebugAndQIsError() {
        assertThat(levelAfter("identity", "list", "-v")).isEqualTo("debug");
        assertThat(levelAfter("identity", "list", "-q")).isEqualTo("error");
        assertThat(levelAfter("identity", "list", "--quiet")).isEqualTo("error");
    }

    @Test
    void withoutAnOptionTheLevelIsLeftToSimpleloggerProperties() {
        assertThat(levelAfter("identity", "list")).isNull();
    }

    @Test
    void anUnknownLevelIsAUsageError() {
        System.clearProperty(LogLevel.PROPERTY);
        Captured run = Captured.run("identity", "list", "--log-level", "trace");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'trace' is not one of error, warn, info, debug");
        assertThat(System.getProperty(LogLevel.PROPERTY)).isNull();
    }
}
