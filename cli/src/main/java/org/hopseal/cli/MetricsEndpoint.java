package org.hopseal.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The HTTP endpoint of {@code hopseal node --metrics HOST:PORT}: {@code GET /metrics} answers the node's meters in the
 * Prometheus text format (0.0.4), {@code GET /health} answers 200 {@code ok} while the node runs and 503 once it
 * stops. Other paths are 404, other methods 405. It reads no request body; at most {@value #MAX_CONNECTIONS}
 * connections are open at once, served by {@value #THREADS} threads, and a request or response that takes longer than
 * {@value #MAX_EXCHANGE_SECONDS} seconds is cut off.
 *
 * <p>It exposes counts and nothing secret (no keys, identifiers or addresses), but no authentication either: bind it
 * to loopback or a private network.
 *
 * <p>Thread safety: thread safe.
 */
final class MetricsEndpoint implements AutoCloseable {
    static final int THREADS = 2;
    static final int MAX_CONNECTIONS = 16;
    static final int MAX_EXCHANGE_SECONDS = 10;
    private static final int BACKLOG = 16;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private volatile boolean stopping;

    private MetricsEndpoint(HttpServer server, ExecutorService executor, PrometheusMeterRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
    }

    /** Serves {@code registry} at {@code at}; port 0 picks a free one ({@link #port()}). */
    static MetricsEndpoint start(InetSocketAddress at, PrometheusMeterRegistry registry) throws IOException {
        limitServer();
        HttpServer server = HttpServer.create(at, BACKLOG);
        ThreadFactory threads = Thread.ofPlatform().name("hopseal-metrics-", 0).daemon().factory();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, threads);
        server.setExecutor(executor);
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, registry);
        server.createContext("/", endpoint::handle);
        server.start();
        return endpoint;
    }

    /**
     * Bounds the JDK's server, unless the command line set these already: its connections, and how long a request may
     * take to arrive and a response to leave. It reads them once, when its first server is created.
     */
    private static void limitServer() {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(MAX_EXCHANGE_SECONDS));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(MAX_EXCHANGE_SECONDS));
    }

    /** The port it listens on. */
    int port() {
        return server.getAddress().getPort();
    }

    /** The node is stopping: {@code /health} answers 503 from now on. */
    void stopping() {
        stopping = true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"/metrics".equals(path) && !"/health".equals(path)) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
            } else if ("/metrics".equals(path)) {
                respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
            } else if (stopping) {
                respond(exchange, 503, "text/plain; charset=utf-8", "stopping\n");
            } else {
                respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops serving: open exchanges end at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
