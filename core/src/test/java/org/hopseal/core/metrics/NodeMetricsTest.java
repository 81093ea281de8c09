package org.hopseal.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.channel.SecureChannels;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.hopseal.testing.Await;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters of two nodes, each with its own registry, as a channel between them opens, carries a message and closes. */
class NodeMetricsTest {
    private final Vaults vaults = SoftwareVault.vaults();
    private final MeterRegistry clientMeters = new SimpleMeterRegistry();
    private final MeterRegistry serverMeters = new SimpleMeterRegistry();
    private Node client;
    private Node server;

    @AfterEach
    void stop() {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.stop();
        }
        vaults.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.await(what, Duration.ofSeconds(10), condition);
    }

    private int startServer() throws HopsealException {
        server = Node.builder().metrics(NodeMetrics.of(serverMeters)).start();
        server.context().startWorker("echoer", new Echoer(), Exposure.channelsOf("listener"));
        SecureChannels.createListener(server.context(), "listener", vaults);
        int port = TcpTransport.create(server.context()).listen("127.0.0.1:0").getPort();
        client = Node.builder().metrics(NodeMetrics.of(clientMeters)).start();
        TcpTransport.create(client.context());
        return port;
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }

    private static double counter(MeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    @Test
    void aChannelCountsAsOpenUntilItClosesAndItsTrafficCountsInBothDirections() throws Exception {
        int port = startServer();
        var ctx = client.context();
        Address channel = SecureChannels.create(ctx, Route.of(Address.tcp("127.0.0.1:" + port), Address.of("listener")), vaults);

        assertThat(gauge(clientMeters, "hopseal.channels.open")).isEqualTo(1);
        await(() -> gauge(serverMeters, "hopseal.channels.open") == 1, "the responder's end is open");
        assertThat(counter(clientMeters, "hopseal.handshakes", "outcome", "ok")).isEqualTo(1);
        assertThat(counter(serverMeters, "hopseal.handshakes", "outcome", "ok")).isEqualTo(1);
        double bytesOut = counter(clientMeters, "hopseal.transport.bytes", "direction", "out");
        double bytesIn = counter(clientMeters, "hopseal.transport.bytes", "direction", "in");
        double messagesOut = counter(clientMeters, "hopseal.transport.messages", "direction", "out");
        assertThat(bytesOut).as("the handshake went out over TCP").isPositive();
        assertThat(bytesIn).as("the handshake's answer came in over TCP").isPositive();

        String big = "x".repeat(1000);
        ctx.send(Route.of(channel, Address.of("echoer")), big);
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo(big);

        assertThat(counter(clientMeters, "hopseal.transport.bytes", "direction", "out")).as("the message went out")
                .isGreaterThan(bytesOut + big.length());
        assertThat(counter(clientMeters, "hopseal.transport.bytes", "direction", "in")).as("its echo came in")
                .isGreaterThan(bytesIn + big.length());
        assertThat(counter(clientMeters, "hopseal.transport.messages", "direction", "out")).isGreaterThan(messagesOut);
        await(() -> counter(serverMeters, "hopseal.transport.messages", "direction", "in")
                == counter(clientMeters, "hopseal.transport.messages", "direction", "out"), "each frame the client wrote, the server read");
        assertThat(counter(clientMeters, "hopseal.frames.dropped", "reason", "tampered")).isZero();

        SecureChannels.close(ctx, channel);

        await(() -> gauge(clientMeters, "hopseal.channels.open") == 0, "the client's end closed");
        await(() -> gauge(serverMeters, "hopseal.channels.open") == 0, "the server's end closed");
    }

    @Test
    void aFailedHandshakeCountsUnderTheKindOfItsError() throws Exception {
        int port = startServer();
        Route toNobody = Route.of(Address.tcp("127.0.0.1:" + port), Address.of("no-listener"));

        assertThatThrownBy(() -> SecureChannels.create(client.context(), toNobody, vaults, null, SecureChannelOptions.defaults()))
                .isInstanceOfSatisfying(HopsealException.class, e -> {
                    String outcome = e.kind().name().toLowerCase(Locale.ROOT);
                    assertThat(counter(clientMeters, "hopseal.handshakes", "outcome", outcome)).isEqualTo(1);
                });
        assertThat(counter(clientMeters, "hopseal.handshakes", "outcome", "ok")).isZero();
        assertThat(gauge(clientMeters, "hopseal.channels.open")).isZero();
    }

    @Test
    void aTimedChannelVaultTimesTheHandshakesVaultOperationsAndPassesEveryCallOn() throws Exception {
        int port = startServer();
        MeterRegistry vaultMeters = new SimpleMeterRegistry();
        Vaults timed = TimedChannelVault.timed(vaults, vaultMeters);
        var ctx = client.context();
        Address channel = SecureChannels.create(ctx, Route.of(Address.tcp("127.0.0.1:" + port), Address.of("listener")), timed);
        ctx.send(Route.of(channel, Address.of("echoer")), "timed");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("timed");

        assertThat(vaultMeters.get("hopseal.vault.operation").tag("operation", "generate_key").timer().count()).isPositive();
        assertThat(vaultMeters.get("hopseal.vault.operation").tag("operation", "agree").timer().count())
                .as("Noise XX: ee and es or se on the initiator").isGreaterThanOrEqualTo(2);
        assertThat(vaultMeters.get("hopseal.vault.operation").tag("operation", "hkdf").timer().count()).isPositive();
        assertThat(vaultMeters.get("hopseal.vault.operation").tag("operation", "agree").timer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
        SecureChannels.close(ctx, channel);
    }

    @Test
    void aNodeWithoutARegistryCountsIntoNothing() throws Exception {
        try (Node plain = Node.start()) {
            assertThat(plain.metrics()).isSameAs(NodeMetrics.none());
            plain.metrics().handshakeSucceeded();
            plain.metrics().sent(10);
        }
    }
}
