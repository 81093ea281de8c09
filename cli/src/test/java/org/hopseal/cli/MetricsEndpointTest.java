package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint of {@code hopseal node --metrics} in this JVM, asked by a real HTTP client. */
class MetricsEndpointTest {
    private static final Duration REQUEST = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST).build();
    private MetricsEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(REQUEST).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path));
    }

    @Test
    void itServesTheRegistryAndSaysWhenTheNodeIsStopping() throws Exception {
        Counter.builder("hopseal.test").register(registry).increment(3);
        endpoint = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), registry);

        HttpResponse<String> metrics = send(to("/metrics").GET());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("hopseal_test_total 3.0");
        HttpResponse<String> health = send(to("/health").GET());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");

        endpoint.stopping();

        assertThat(send(to("/health").GET()).statusCode()).isEqualTo(503);
        assertThat(send(to("/metrics").GET()).statusCode()).as("the meters stay readable while the node stops").isEqualTo(200);
    }

    @Test
    void otherPathsAreNotFoundAndOtherMethodsNotAllowed() throws Exception {
        endpoint = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), registry);

        assertThat(send(to("/").GET()).statusCode()).isEqualTo(404);
        assertThat(send(to("/metrics/x").GET()).statusCode()).isEqualTo(404);
        HttpResponse<String> delete = send(to("/health").DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
        assertThat(send(to("/metrics").PUT(HttpRequest.BodyPublishers.ofString("x".repeat(1_000_000)))).statusCode()).isEqualTo(405);
    }

    @Test
    void closingItFreesItsPort() throws Exception {
        endpoint = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), registry);
        int port = endpoint.port();
        endpoint.close();
        endpoint = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", port), registry);
        assertThat(send(to("/health").GET()).statusCode()).isEqualTo(200);
    }
}
