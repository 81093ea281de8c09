package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MainTest {
    @Test
    void demoExitsZero() {
        assertThat(Main.run("demo")).isZero();
    }

    @Test
    @Timeout(120)
    void theKafkaDemoRunsABrokerAndExitsZeroOnlyWhenTheIntruderIsRefused() {
        assertThat(Main.run("demo", "kafka")).isZero();
        assertThat(Main.run("demo", "nonsense")).as("an unknown example is a usage error").isNotZero();
    }

    @Test
    void x3dhVectorsPassFromTheCommand() {
        assertThat(Main.run("vectors", "x3dh", "../core/src/test/resources/vectors/x3dh/x3dh-vectors.json")).isZero();
        assertThat(Main.run("vectors", "x3dh", "pom.xml")).as("a file that is not vectors fails clearly").isEqualTo(1);
    }

    @Test
    void unknownCommandExitsNonZero() {
        assertThat(Main.run("no-such-command")).isNotZero();
    }
}
