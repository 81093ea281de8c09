package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code hopseal example}: the list, and a guide example whose two processes talk over TCP at {@code HOST:PORT}. */
class ExampleCommandIT {
    private static final Duration START = Duration.ofSeconds(30);

    @Test
    void theListNamesEachExampleOnOneLine() throws Exception {
        try (ChildJvm list = ChildJvm.hopseal(Map.of(), "example")) {
            assertThat(list.waitFor(START)).as("stderr: " + list.stderr()).isZero();
            assertThat(list.stdout()).hasSize(12).allSatisfy(line -> assertThat(line).matches("\\w+( \\[[A-Z:]+])* {2,}\\S.*"));
            assertThat(list.stdout()).anySatisfy(line -> assertThat(line).startsWith("Ex04Responder [HOST:PORT] "));
            assertThat(list.stdout()).anySatisfy(line -> assertThat(line).startsWith("Ex04Initiator [HOST:PORT] "));
        }
    }

    @Test
    void theRoutingOverTransportExampleRunsInTwoProcessesAsTheReadmeWritesIt() throws Exception {
        try (ChildJvm responder = ChildJvm.hopseal(Map.of(), "example", "Ex04Responder", "127.0.0.1:0")) {
            int port = Integer.parseInt(responder.awaitLine("LISTENING", START).split(" ")[1]);
            try (ChildJvm initiator = ChildJvm.hopseal(Map.of(), "example", "Ex04Initiator", "127.0.0.1:" + port)) {
                assertThat(initiator.waitFor(START)).as("stderr: " + initiator.stderr()).isZero();
                assertThat(initiator.stdout()).containsExactly("App Received: Hello Hopseal!");
                assertThat(initiator.stderr()).isEmpty();
            }
            assertThat(responder.stderr()).isEmpty();
        }
    }
}
