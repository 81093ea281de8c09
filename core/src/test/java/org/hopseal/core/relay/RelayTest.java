package org.hopseal.core.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.policy.Policy;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.relay.RelayService;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.core.node.Node;
import org.hopseal.core.runtime.CoreNodeFactory;
import org.hopseal.testing.Await;
import org.hopseal.testing.Echo;
import org.hopseal.testing.RawClient;
import org.hopseal.testing.Wire;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

/** Relay hosts, hidden nodes without a listening port, and clients, as nodes of one JVM over loopback TCP. */
class RelayTest {
    private static final Duration IN_TIME = Duration.ofSeconds(20);
    private static final String NAME = "db";

    private final List<HopsealNode> nodes = new ArrayList<>();
    private final List<Vaults> allVaults = new ArrayList<>();
    private final Vaults hiddenVaults = vaults();

    /** Nodes first, their vaults after. */
    @AfterEach
    void stop() {
        nodes.forEach(HopsealNode::stop);
        allVaults.forEach(Vaults::close);
    }

    private Vaults vaults() {
        Vaults v = SoftwareVault.vaults();
        allVaults.add(v);
        return v;
    }

    private HopsealNode node(Vaults vaults) throws Exception {
        return node(vaults, TcpTransportOptions.defaults());
    }

    private HopsealNode node(Vaults vaults, TcpTransportOptions tcp) throws Exception {
        HopsealNode node = HopsealNode.builder().vaults(vaults).tcp(tcp).start();
        nodes.add(node);
        node.tcp();
        return node;
    }

    /** A relay host: TCP on {@code port} (0: any), listener 'secure', relay service; returns its address. */
    private RelayHost relayHost(Vaults vaults, int port) throws Exception {
        return relayHost(vaults, port, TcpTransportOptions.defaults());
    }

    private RelayHost relayHost(Vaults vaults, int port, TcpTransportOptions tcp) throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        HopsealNode node = CoreNodeFactory.builder(NodeMetrics.of(meters)).vaults(vaults).tcp(tcp).start();
        nodes.add(node);
        Entity me = Entity.createOrLoad(node.context(), vaults, "relay");
        me.createSecureChannelListener("secure");
        RelayService service = node.relayService().reachableThrough("secure").maxRelaysPerIdentity(2).start();
        InetSocketAddress bound = node.tcp().listen("127.0.0.1:" + port);
        return new RelayHost(node, service, "127.0.0.1:" + bound.getPort(), meters);
    }

    /** {@code meters}: the host's. */
    private record RelayHost(HopsealNode node, RelayService service, String address, MeterRegistry meters) {
        double registrations() {
            return meters.get("hopseal.relay.registrations").gauge().value();
        }
    }

    /** A node with no listening port: listener 'secure', an Echoer behind it; returns its identity. */
    private Entity hiddenNode(HopsealNode node, Vaults vaults) throws Exception {
        Entity me = Entity.createOrLoad(node.context(), vaults, "hidden");
        me.createSecureChannelListener("secure");
        node.context().startWorker(Echo.ECHOER, new Echoer(), Exposure.channelsOf("secure"));
        return me;
    }

    private Relay register(HopsealNode node, Entity me, String relayHost) throws Exception {
        Relay relay = node.relay(NAME, relayHost).entity(me).start();
        relay.awaitRegistered(IN_TIME);
        return relay;
    }

    /** A client's channel to the hidden node's listener through {@code relayHost}, trusting only {@code hidden}. */
    private Address channelThrough(HopsealNode client, String relayHost, Entity hidden) throws Exception {
        Entity me = Entity.createOrLoad(client.context(), vaults(), "client");
        return me.createSecureChannel(Relay.route(relayHost, NAME, "secure"), new TrustIdentifierPolicy(hidden.identifier()));
    }

    @Test
    void theRelayHostsGaugeCountsARegistrationWhileItsNodeIsConnected() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        assertThat(host.registrations()).isZero();
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        register(hidden, hiddenId, host.address());
        Await.await("the registration counts", IN_TIME, () -> host.registrations() == 1);

        hidden.stop();

        Await.await("the lost registration no longer counts", IN_TIME, () -> host.registrations() == 0);
        assertThat(host.service().connected()).isEmpty();
    }

    @Test
    void aNodeWithoutAListeningPortIsReachedThroughTheRelayEndToEnd() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        List<Relay> registered = new CopyOnWriteArrayList<>();
        Relay relay = hidden.relay(NAME, host.address()).entity(hiddenId).onRegistered(registered::add).start();
        relay.awaitRegistered(IN_TIME);
        // The callback runs on the relay's thread, once the registration is visible.
        Await.await("the registration's callback ran", IN_TIME, () -> !registered.isEmpty());
        assertThat(registered).containsExactly(relay);
        assertThat(relay.name()).isEqualTo(NAME);
        assertThat(relay.relayHost()).isEqualTo(host.address());
        assertThat(relay).hasToString("relay db at " + host.address());
        assertThat(relay.isRegistered()).isTrue();
        assertThat(relay.relayIdentifier()).isPresent();
        assertThat(host.service().connected()).containsExactly(NAME);

        HopsealNode client = node(vaults());
        Address channel = channelThrough(client, host.address(), hiddenId);
        assertThat(Echo.through(client.context(), channel, "through the relay")).isEqualTo("through the relay");
        // The client authenticated the hidden node itself, not the relay host.
        assertThat(client.secureChannels()).singleElement().satisfies(s -> assertThat(s.peer()).contains(hiddenId.identifier()));
    }

    @Test
    void aClientsConnectionStaysOpenAtTheRelayHostWhileItsChannelIsQuiet() throws Exception {
        Duration idle = Duration.ofMillis(200);
        RelayHost host = relayHost(vaults(), 0, TcpTransportOptions.defaults().withIdleTimeout(idle));
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        register(hidden, hiddenId, host.address());
        HopsealNode client = node(vaults());
        Address channel = channelThrough(client, host.address(), hiddenId);
        assertThat(Echo.through(client.context(), channel, "before")).isEqualTo("before");
        // The host has no channel of its own on the client's connection, and must not close it as idle.
        assertThat(Await.holds(idle.multipliedBy(8), () -> client.secureChannels().isEmpty())).isFalse();
        assertThat(Echo.through(client.context(), channel, "after a quiet while")).isEqualTo("after a quiet while");
    }

    @Test
    void aNameUnknownAtTheHostFailsTheHandshakeAtOnce() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        HopsealNode client = node(vaults());
        Entity me = Entity.createOrLoad(client.context(), vaults(), "client");
        long start = System.nanoTime();
        assertHopsealError(ErrorKind.NOT_FOUND, () -> me.createSecureChannel(Relay.route(host.address(), "nobody", "secure")));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SecureChannelOptions.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    @Test
    void anotherIdentityCannotTakeANameAndTheSameIdentityTakesItBack() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        HopsealNode first = node(hiddenVaults);
        Entity hiddenId = hiddenNode(first, hiddenVaults);
        Relay firstRelay = register(first, hiddenId, host.address());

        Vaults otherVaults = vaults();
        HopsealNode other = node(otherVaults);
        Entity otherId = Entity.createOrLoad(other.context(), otherVaults, "other");
        otherId.createSecureChannelListener("secure");
        Relay stolen = other.relay(NAME, host.address()).entity(otherId).start();
        assertThatThrownBy(() -> stolen.awaitRegistered(Duration.ofSeconds(2))).isInstanceOf(HopsealTimeoutException.class);
        stolen.close();
        // Each refused attempt's channel is closed, not left open (its pings would keep it so).
        Await.await("the refused registrations' channels close", IN_TIME, () -> other.secureChannels().isEmpty());
        HopsealNode client = node(vaults());
        assertThat(Echo.through(client.context(), channelThrough(client, host.address(), hiddenId), "still mine")).isEqualTo("still mine");

        // The same identity on another node (a restart, a reconnect) replaces the route.
        firstRelay.close();
        Await.await("the relay host forgets the lost registration", IN_TIME, () -> host.service().connected().isEmpty());
        first.stop();
        HopsealNode again = node(hiddenVaults);
        Entity sameId = hiddenNode(again, hiddenVaults);
        register(again, sameId, host.address());
        assertThat(Echo.through(client.context(), channelThrough(client, host.address(), sameId), "back")).isEqualTo("back");
    }

    @Test
    void theRelayHostReachesNothingOnTheHiddenNodeButItsListener() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        Context app = hidden.context().newContext(Address.of("inbox"));
        register(hidden, hiddenId, host.address());

        Node hostNode = Node.of(host.node().context());
        ChannelInfo registration = SecureChannelRegistry.of(hostNode).all().iterator().next();
        Address connection = registration.firstHop();
        // The probe takes every answer, so that the hidden node's refusals reach it.
        Context probe = host.node().context().newContext(Address.of("probe"), Exposure.everyone());
        // Through the registration channel, and raw over the connection the hidden node opened.
        for (Address hop : List.of(registration.encryptor(), connection)) {
            for (String target : List.of(Echo.ECHOER, "inbox", "app")) {
                probe.send(Route.of(hop, Address.of(target)), "probe");
                assertHopsealError(ErrorKind.NOT_FOUND, () -> probe.receive(String.class, IN_TIME))
                        .hasMessageContaining("reachable from outside");
            }
        }
        assertHopsealError(ErrorKind.TIMEOUT, () -> app.receive(String.class, Duration.ofMillis(200)));
        assertHopsealError(ErrorKind.TIMEOUT, () -> hidden.context().receive(String.class, Duration.ofMillis(200)));
    }

    @Test
    void theHiddenNodeReachesNothingOnTheRelayHostAndMakesItDialNowhere() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        AtomicInteger reached = new AtomicInteger();
        host.node().context().startWorker("private", String.class, (ctx, msg) -> reached.incrementAndGet());
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        register(hidden, hiddenId, host.address());
        try (ServerSocket elsewhere = new ServerSocket(0)) {
            elsewhere.setSoTimeout(500);
            // The probe takes every answer, so that the relay host's refusals reach it.
            Context ctx = hidden.context().newContext(Address.of("probe"), Exposure.everyone());
            Address relayHost = Address.tcp(host.address());
            // What the hidden node sends through its relay goes only to connections open at the host.
            ctx.send(Route.of(relayHost, Relay.address(NAME), Address.of("private")), "in?");
            assertHopsealError(ErrorKind.UNTRUSTED, () -> ctx.receive(String.class, IN_TIME)).hasMessageContaining("only to connections");
            ctx.send(Route.of(relayHost, Relay.address(NAME), Address.tcp("127.0.0.1:" + elsewhere.getLocalPort()), Address.of("x")), "dial?");
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> ctx.receive(String.class, IN_TIME)).hasMessageContaining("is closed");
            assertThatThrownBy(elsewhere::accept).isInstanceOf(IOException.class);
        }
        assertThat(reached).hasValue(0);
    }

    @Test
    void registrationsAreRefusedWithoutAChannelOutsideThePolicyOrBeyondTheBounds() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        Context ctx = hidden.context().newContext(Address.of("probe"), Exposure.everyone());
        // Raw, not through a channel: the service is not reachable so.
        ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(Address.tcp(host.address()), Address.of(Relay.SERVICE)),
                Route.of(ctx.address()), RelayMessage.encode(new RelayMessage.Register(NAME)))));
        assertHopsealError(ErrorKind.NOT_FOUND, () -> ctx.receive(String.class, IN_TIME));

        Address channel = hiddenId.createSecureChannel(Route.of(Address.tcp(host.address()), Address.of("secure")));
        assertThat(answer(ctx, channel, new byte[] {9})).isInstanceOf(RelayMessage.Refused.class)
                .extracting(r -> ((RelayMessage.Refused) r).reason()).asString().contains("malformed");
        assertThat(answer(ctx, channel, RelayMessage.encode(new RelayMessage.Register("no spaces")))).isInstanceOf(RelayMessage.Refused.class);
        assertThat(answer(ctx, channel, RelayMessage.encode(new RelayMessage.Register("one")))).isEqualTo(new RelayMessage.Registered("one"));
        assertThat(answer(ctx, channel, RelayMessage.encode(new RelayMessage.Register("two")))).isEqualTo(new RelayMessage.Registered("two"));
        // Registering a connected name again (the same identity) replaces its route.
        assertThat(answer(ctx, channel, RelayMessage.encode(new RelayMessage.Register("two")))).isEqualTo(new RelayMessage.Registered("two"));
        assertThat(answer(ctx, channel, RelayMessage.encode(new RelayMessage.Register("three"))))
                .isEqualTo(new RelayMessage.Refused("identity " + hiddenId.identifier() + " holds 2 names here already"));
        assertThat(host.service().connected()).containsExactlyInAnyOrder("one", "two");

        Vaults strictVaults = vaults();
        HopsealNode strict = node(strictVaults);
        Entity strictId = Entity.createOrLoad(strict.context(), strictVaults, "strict");
        strictId.createSecureChannelListener("secure");
        strict.relayService().reachableThrough("secure").trust(new TrustIdentifierPolicy(strictId.identifier())).start();
        InetSocketAddress bound = strict.tcp().listen("127.0.0.1:0");
        Address toStrict = hiddenId.createSecureChannel(Route.of(Address.tcp("127.0.0.1:" + bound.getPort()), Address.of("secure")));
        assertThat(answer(ctx, toStrict, RelayMessage.encode(new RelayMessage.Register(NAME))))
                .isEqualTo(new RelayMessage.Refused("identity " + hiddenId.identifier() + " may not register relays here"));
    }

    @Test
    void aNodeRegisteredThroughAMiddleNodeIsReachedThroughItsChannelNotItsConnection() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        HopsealNode middle = HopsealNode.builder().vaults(vaults()).forwardAnywhere().start();
        nodes.add(middle);
        InetSocketAddress middleAddress = middle.tcp().listen("127.0.0.1:0");
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        // A registration by hand, through the middle node: the host's connection leads to the middle node, not to the
        // registered one, so the relay must pass what clients send through the registration channel.
        Route viaMiddle = Route.of(Address.tcp("127.0.0.1:" + middleAddress.getPort()), Address.tcp(host.address()), Address.of("secure"));
        ChannelInfo carrier = ((CoreEntity) hiddenId).createCarrierChannel(viaMiddle, SecureChannelOptions.defaults());
        Context registrar = hidden.context().newContext(Address.of("registrar"), Exposure.through(carrier.encryptor()));
        assertThat(answer(registrar, carrier.encryptor(), RelayMessage.encode(new RelayMessage.Register(NAME))))
                .isEqualTo(new RelayMessage.Registered(NAME));

        HopsealNode client = node(vaults());
        Address channel = channelThrough(client, host.address(), hiddenId);
        assertThat(Echo.through(client.context(), channel, "through the channel")).isEqualTo("through the channel");
    }

    @Test
    void aHostWhosePolicyTestsAttributesTakesRegistrationsOnlyFromNodesWithThem() throws Exception {
        Vaults hostVaults = vaults();
        HopsealNode hostNode = node(hostVaults);
        Entity hostId = Entity.createOrLoad(hostNode.context(), hostVaults, "relay");
        Entity authority = Entity.createOrLoad(hostNode.context(), hostVaults, "authority");
        hostId.createSecureChannelListener("secure", SecureChannelOptions.defaults().withAuthorities(Set.of(authority.identifier())));
        RelayService service = hostNode.relayService().reachableThrough("secure").trust(Policy.parse("subject.role = \"db\"")).start();
        String host = "127.0.0.1:" + hostNode.tcp().listen("127.0.0.1:0").getPort();
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);

        Relay withoutRole = hidden.relay("plain", host).entity(hiddenId).start();
        Relay withRole = hidden.relay(NAME, host).entity(hiddenId).credentials(CredentialSource.of(
                authority.issueCredential(hiddenId.identifier(), Map.of("role", "db"), Duration.ofHours(1)))).start();

        withRole.awaitRegistered(IN_TIME);
        assertThat(service.connected()).containsExactly(NAME);
        assertThat(withoutRole.isRegistered()).as("refused: no role").isFalse();
    }

    @Test
    void aHostHoldsAtMostItsNamesAndEachIdentityAtMostItsOwn() throws Exception {
        Vaults hostVaults = vaults();
        HopsealNode hostNode = node(hostVaults);
        Entity hostId = Entity.createOrLoad(hostNode.context(), hostVaults, "relay");
        hostId.createSecureChannelListener("secure");
        hostNode.relayService().reachableThrough("secure").maxRelays(2).maxRelaysPerIdentity(1).start();
        String host = "127.0.0.1:" + hostNode.tcp().listen("127.0.0.1:0").getPort();
        List<String> answers = new ArrayList<>();
        for (String[] registrations : new String[][] {{"a", "a1", "a2"}, {"b", "b1"}, {"c", "c1"}}) {
            Vaults v = vaults();
            HopsealNode n = node(v);
            Entity id = Entity.createOrLoad(n.context(), v, registrations[0]);
            Context ctx = n.context().newContext(Address.of("probe"), Exposure.everyone());
            Address channel = id.createSecureChannel(Route.of(Address.tcp(host), Address.of("secure")));
            for (int i = 1; i < registrations.length; i++) {
                answers.add(registrations[0] + ":" + answer(ctx, channel, RelayMessage.encode(new RelayMessage.Register(registrations[i]))));
            }
        }
        assertThat(answers.get(0)).isEqualTo("a:" + new RelayMessage.Registered("a1"));
        assertThat(answers.get(1)).startsWith("a:Refused").endsWith("holds 1 names here already]");
        assertThat(answers.get(2)).isEqualTo("b:" + new RelayMessage.Registered("b1"));
        assertThat(answers.get(3)).isEqualTo("c:" + new RelayMessage.Refused("this relay host holds 2 names already"));
        RelayService.Builder builder = hostNode.relayService();
        assertThatThrownBy(() -> builder.maxRelays(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxRelaysPerIdentity(0)).isInstanceOf(IllegalArgumentException.class);
        assertHopsealError(ErrorKind.INVALID, () -> hostNode.relayService().start());
    }

    @Test
    void aRelayFindsItsHostByTheListenerItNamesAndOnlyAHostItsPolicyTrusts() throws Exception {
        Vaults hostVaults = vaults();
        HopsealNode hostNode = node(hostVaults);
        Entity hostId = Entity.createOrLoad(hostNode.context(), hostVaults, "relay");
        hostId.createSecureChannelListener("edge");
        hostNode.relayService().reachableThrough("edge").start();
        String host = "127.0.0.1:" + hostNode.tcp().listen("127.0.0.1:0").getPort();
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);

        Relay distrusting = hidden.relay("x", host).entity(hiddenId).listener("edge").trust(new TrustIdentifierPolicy(hiddenId.identifier()))
                .start();
        Relay wrongListener = hidden.relay("y", host).entity(hiddenId).start();
        Relay right = hidden.relay("z", host).entity(hiddenId).listener("edge").trust(new TrustIdentifierPolicy(hostId.identifier())).start();
        right.awaitRegistered(IN_TIME);
        assertThat(right.relayIdentifier()).contains(hostId.identifier());
        assertThatThrownBy(() -> distrusting.awaitRegistered(Duration.ofSeconds(1))).isInstanceOf(HopsealTimeoutException.class);
        assertThatThrownBy(() -> wrongListener.awaitRegistered(Duration.ofSeconds(1))).isInstanceOf(HopsealTimeoutException.class);
        assertThat(distrusting.relayIdentifier()).isEmpty();
        assertThatThrownBy(() -> hidden.relay("z", host).start()).isInstanceOf(RoutingException.class);
        assertThatThrownBy(() -> hidden.relay("not a name", host)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingTheServiceOrTheRelaysNodeEndsTheRelays() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        Relay relay = register(hidden, hiddenId, host.address());
        host.service().close();
        host.service().close();
        assertThat(host.service().connected()).isEmpty();
        HopsealNode client = node(vaults());
        Entity me = Entity.createOrLoad(client.context(), vaults(), "client");
        assertHopsealError(ErrorKind.NOT_FOUND, () -> me.createSecureChannel(Relay.route(host.address(), NAME, "secure")));
        Address toHost = me.createSecureChannel(Route.of(Address.tcp(host.address()), Address.of("secure")));
        Context probe = client.context().newContext(Address.of("probe"), Exposure.everyone());
        assertHopsealError(ErrorKind.NOT_FOUND, () -> answer(probe, toHost, RelayMessage.encode(new RelayMessage.Register("late"))));

        hidden.stop();
        assertThat(relay.isRegistered()).isFalse();
        assertHopsealError(ErrorKind.SHUTDOWN, () -> relay.awaitRegistered(IN_TIME)).hasMessageContaining("is closed");
    }

    @Test
    void aClosedRelayStopsWaitingAtOnceAndNeverRegistersAgain() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        Relay relay = hidden.relay(NAME, "127.0.0.1:" + port).entity(hiddenId).start();
        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                relay.awaitRegistered(IN_TIME);
                return null;
            } catch (HopsealException e) {
                return e;
            }
        });
        assertThat(Await.holds(Duration.ofMillis(300), waiting::isDone)).as("nothing listens there yet").isFalse();
        long start = System.nanoTime();
        relay.close();
        assertThat(waiting.get(IN_TIME.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(RoutingException.class).hasMessageContaining("is closed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("woken by the close").isLessThan(Duration.ofSeconds(5));

        // A host now listens where the closed relay kept trying: it must not register there.
        RelayHost host = relayHost(vaults(), port);
        assertThat(Await.holds(Duration.ofMillis(2_500), () -> !host.service().connected().isEmpty())).isFalse();
    }

    @Test
    void aClientsReturnRouteAtTheHopLimitIsRefusedByTheRelay() throws Exception {
        RelayHost host = relayHost(vaults(), 0);
        HopsealNode hidden = node(hiddenVaults);
        register(hidden, hiddenNode(hidden, hiddenVaults), host.address());
        int port = Integer.parseInt(host.address().substring(host.address().lastIndexOf(':') + 1));
        try (RawClient client = RawClient.connect(port)) {
            // With the connection the host prepends, the return route holds Route.MAX_LENGTH addresses.
            client.send(List.of(Wire.Addr.local(Relay.address(NAME).valueText()), Wire.Addr.local("secure")),
                    Wire.times(Route.MAX_LENGTH - 1, Wire.Addr.local("back")), new byte[] {1});
            Wire.Frame reply = client.receive(IN_TIME);
            assertThat(reply).isNotNull();
            assertThat(RoutingError.decode(reply.payload()).reason()).isEqualTo("hop limit of " + Route.MAX_LENGTH + " reached");
        }
    }

    private static RelayMessage answer(Context ctx, Address channel, byte[] request) throws Exception {
        ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(channel, Address.of(Relay.SERVICE)), Route.of(ctx.address()), request)));
        LocalMessage reply = ctx.receiveRouted(LocalMessage.class, IN_TIME).body();
        return RelayMessage.decode(reply.transportMessage().payload());
    }

    @Test
    void theHiddenNodeRegistersAgainAfterTheRelayHostRestarts() throws Exception {
        Vaults hostVaults = vaults();
        RelayHost host = relayHost(hostVaults, 0);
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        AtomicInteger registrations = new AtomicInteger();
        Relay relay = hidden.relay(NAME, host.address()).entity(hiddenId).onRegistered(r -> registrations.incrementAndGet()).start();
        relay.awaitRegistered(IN_TIME);

        host.node().stop();
        Await.await("the relay notices its host is gone", IN_TIME, () -> !relay.isRegistered());
        int port = Integer.parseInt(host.address().substring(host.address().lastIndexOf(':') + 1));
        RelayHost restarted = relayHost(hostVaults, port);
        long start = System.nanoTime();
        relay.awaitRegistered(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        Await.await("the second registration's callback ran", IN_TIME, () -> registrations.get() == 2);
        HopsealNode client = node(vaults());
        assertThat(Echo.through(client.context(), channelThrough(client, restarted.address(), hiddenId), "again")).isEqualTo("again");
    }

    @Test
    void anInletFailsOverToTheNextRelayHostWhenItsHostIsLost() throws Exception {
        RelayHost one = relayHost(vaults(), 0);
        RelayHost two = relayHost(vaults(), 0);
        HopsealNode hidden = node(hiddenVaults);
        Entity hiddenId = hiddenNode(hidden, hiddenVaults);
        try (EchoServer service = new EchoServer()) {
            hidden.outlet("svc", "127.0.0.1:" + service.port()).reachableThrough("secure").start();
            register(hidden, hiddenId, one.address());
            register(hidden, hiddenId, two.address());

            Vaults clientVaults = vaults();
            HopsealNode client = node(clientVaults);
            Entity me = Entity.createOrLoad(client.context(), clientVaults, "client");
            Inlet inlet = client.inlet("127.0.0.1:0")
                    .to(List.of(Relay.route(one.address(), NAME, "secure"), Relay.route(two.address(), NAME, "secure")))
                    .outlet("svc").entity(me)
                    .channelOptions(SecureChannelOptions.defaults().withTrustPolicy(new TrustIdentifierPolicy(hiddenId.identifier())))
                    .start();
            assertThat(inlet.peer()).contains(hiddenId.identifier());
            assertThat(echo(inlet, "first host")).isEqualTo("first host");

            one.node().stop();
            Await.await("the inlet opens its channel through the second host", IN_TIME, () -> {
                try {
                    return echo(inlet, "second host").equals("second host");
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private static String echo(Inlet inlet, String text) throws IOException {
        try (Socket s = new Socket(inlet.address().getAddress(), inlet.address().getPort())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A TCP server that sends back what it reads and closes when its client's side ends. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);

        EchoServer() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> serve(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the client went away
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
