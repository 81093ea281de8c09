package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@code hopseal node} refuses before it opens a vault or a port. */
class NodeCommandOptionsTest {
    /** The exit code and standard error of {@code hopseal args...}. */
    private static String run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args) + " " + captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void aNodeNeedsAPortOrARelay() {
        assertThat(run("node")).startsWith("2 ").contains("give --listen HOST:PORT, or --relay NAME@HOST:PORT");
    }

    @Test
    void aRelayHostNeedsAPort() {
        assertThat(run("node", "--relays", "--relay", "db@127.0.0.1:1")).startsWith("2 ").contains("(--relays) needs --listen");
    }

    @Test
    void connectionLimitsArePositive() {
        assertThat(run("node", "--listen", "127.0.0.1:0", "--max-connections", "0")).startsWith("2 ")
                .contains("--max-connections and --max-connections-per-host: maxConnections must be positive, was 0");
        assertThat(run("node", "--listen", "127.0.0.1:0", "--max-connections-per-host", "-1")).startsWith("2 ")
                .contains("maxConnectionsPerHost must be positive, was -1");
    }

    @Test
    void aRelayIsANameAtAHost() {
        assertThat(run("node", "--relay", "db")).startsWith("2 ").contains("--relay takes NAME@HOST:PORT, was 'db'");
        assertThat(run("node", "--relay", "db@")).startsWith("2 ").contains("was 'db@'");
        assertThat(run("node", "--relay", "@127.0.0.1:1")).startsWith("2 ").contains("was '@127.0.0.1:1'");
        assertThat(run("node", "--relay", "no name@127.0.0.1:1")).startsWith("2 ").contains("a relay name is a letter or digit");
    }

    @Test
    void theMetricsAddressIsAHostAndAPort() {
        assertThat(run("node", "--listen", "127.0.0.1:0", "--metrics", "9090")).startsWith("2 ").contains("--metrics takes HOST:PORT, was '9090'");
        assertThat(run("node", "--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:")).startsWith("2 ").contains("was '127.0.0.1:'");
        assertThat(run("node", "--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:65536")).startsWith("2 ")
                .contains("a port from 0 to 65535, was '127.0.0.1:65536'");
        assertThat(run("node", "--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:http")).startsWith("2 ").contains("a port from 0 to 65535");
    }

    @Test
    void thePostQuantumPolicyIsOneOfThree() {
        assertThat(run("node", "--listen", "127.0.0.1:0", "--pq", "always")).startsWith("2 ")
                .contains("'always' is not one of off, preferred, required");
    }
}
