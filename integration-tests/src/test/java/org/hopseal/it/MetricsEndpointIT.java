package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.Test;

/** {@code hopseal node --metrics}: scraped with a real HTTP client while a {@code hopseal send} goes through the node. */
class MetricsEndpointIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration REQUEST = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST).build();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(REQUEST).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample {@code series} (name and labels as the exposition writes them), if present. */
    private static OptionalDouble sample(String exposition, String series) {
        return exposition.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0])).findFirst();
    }

    /** The handshakes that failed, whatever the outcome. */
    private static double failedHandshakes(String exposition) {
        return exposition.lines().filter(line -> line.startsWith("hopseal_handshakes_total{") && !line.startsWith("hopseal_handshakes_total{outcome=\"ok\"}"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private String awaitSample(int port, String series, double value) throws Exception {
        return awaitMetrics(port, body -> sample(body, series).orElse(Double.NaN) == value);
    }

    /**
     * The node's metrics once {@code condition} holds of them, or, if it does not within {@link #START}, the last ones
     * read (for the caller's assertions to show).
     */
    private String awaitMetrics(int port, Predicate<String> condition) throws Exception {
        AtomicReference<String> body = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Await.holds(START, () -> {
            try {
                body.set(get(port, "/metrics").body());
            } catch (Exception e) {
                failure.set(e);
                return true;
            }
            return condition.test(body.get());
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return body.get();
    }

    @Test
    void aNodeExposesItsHandshakesChannelsAndTrafficAndItsLiveness() throws Exception {
        try (ChildJvm node = ChildJvm.hopseal(Map.of(), "node", "--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:0")) {
            String[] ready = node.awaitLine("LISTENING", START).split(" ");
            int metrics = Integer.parseInt(node.awaitLine("METRICS", START).split(" ")[1]);

            HttpResponse<String> before = get(metrics, "/metrics");
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(before.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(sample(before.body(), "hopseal_handshakes_total{outcome=\"ok\"}")).hasValue(0);
            assertThat(sample(before.body(), "hopseal_channels_open")).hasValue(0);

            try (ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--to", "127.0.0.1:" + ready[1], "--trust", ready[2], "Hello Hopseal!")) {
                assertThat(send.waitFor(START)).as("stderr: " + send.stderr()).isZero();
                assertThat(send.stdout()).containsExactly("Hello Hopseal!");
            }
            try (ChildJvm wrongTrust = ChildJvm.hopseal(Map.of(), "send", "--to", "127.0.0.1:" + ready[1], "--trust", "I" + "0".repeat(64), "x")) {
                assertThat(wrongTrust.waitFor(START)).isNotZero();
            }

            String after = awaitSample(metrics, "hopseal_channels_open", 0);
            assertThat(sample(after, "hopseal_handshakes_total{outcome=\"ok\"}")).as(after).hasValue(1);
            assertThat(sample(after, "hopseal_channels_open")).as("the sender closed its channel").hasValue(0);
            // The refusing sender exits at once: the node's end hears of it by an abort or, if the connection closed first,
            // by its handshake timeout. Either way it counts once, as a failure.
            after = awaitMetrics(metrics, body -> failedHandshakes(body) >= 1);
            assertThat(failedHandshakes(after)).as("the refused sender's handshake: " + after).isEqualTo(1);
            assertThat(sample(after, "hopseal_handshakes_total{outcome=\"ok\"}")).hasValue(1);
            assertThat(sample(after, "hopseal_transport_bytes_total{direction=\"in\"}").orElseThrow()).isGreaterThan(200);
            assertThat(sample(after, "hopseal_transport_bytes_total{direction=\"out\"}").orElseThrow()).isGreaterThan(200);
            assertThat(sample(after, "hopseal_transport_messages_total{direction=\"in\"}").orElseThrow()).isGreaterThanOrEqualTo(4);
            assertThat(sample(after, "hopseal_frames_dropped_total{reason=\"tampered\"}")).hasValue(0);
            assertThat(sample(after, "hopseal_vault_operation_seconds_count{operation=\"agree\"}").orElseThrow())
                    .as("the handshakes' key agreements were timed").isGreaterThanOrEqualTo(2);
            assertThat(sample(after, "hopseal_vault_operation_seconds_count{operation=\"hkdf\"}").orElseThrow()).isPositive();
            assertThat(after).as("no identifier leaks into the meters").doesNotContain(ready[2]);

            HttpResponse<String> health = get(metrics, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(get(metrics, "/nope").statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics")).timeout(REQUEST)
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");

            assertThat(node.terminate()).isEqualTo(143);
            assertThat(node.stdout()).as("stderr: " + node.stderr()).contains("STOPPED");
        }
    }

    @Test
    void sendersThatExitLeaveNoWarningOnTheNode() throws Exception {
        try (ChildJvm node = ChildJvm.hopseal(Map.of(), "node", "--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:0")) {
            String[] ready = node.awaitLine("LISTENING", START).split(" ");
            int metrics = Integer.parseInt(node.awaitLine("METRICS", START).split(" ")[1]);
            for (int i = 0; i < 3; i++) {
                try (ChildJvm send = ChildJvm.hopseal(Map.of(), "send", "--to", "127.0.0.1:" + ready[1], "--trust", ready[2], "hello " + i)) {
                    assertThat(send.waitFor(START)).as("stderr: " + send.stderr()).isZero();
                }
            }
            // Each sender's connection closed as it exited, and with it the node's end of its channel: the gauge counts an end
            // as closed only after the end has sent (or given up) its close notice.
            String after = awaitSample(metrics, "hopseal_channels_open", 0);
            assertThat(sample(after, "hopseal_handshakes_total{outcome=\"ok\"}")).hasValue(3);
            assertThat(sample(after, "hopseal_channels_open")).hasValue(0);
            // The node never dialed a sender's ephemeral port to say the channel closed ("cannot connect to 127.0.0.1:...").
            assertThat(node.stderr()).as("the node's log").noneMatch(line -> line.contains("WARN"));
        }
    }
}
