package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void demoExitsZero() {
        assertThat(Main.run("demo")).isZero();
    }

    @Test
    void unknownCommandExitsNonZero() {
        assertThat(Main.run("no-such-command")).isNotZero();
    }
}
