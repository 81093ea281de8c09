package org.hopseal.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.channel.SecureChannels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The peer identifier and the origin are facts only the runtime sets (issue 25): access controls read the origin, a
 * worker cannot forward a message under an origin it made up, a worker's context cannot stop the node, and a trust
 * policy without identities to check is refused rather than ignored.
 */
class UnforgeablePeerFactsTest {
    private static final Duration T = Duration.ofSeconds(5);

    private Node node;
    private Context ctx;
    private Entity alice;
    private Entity bob;
    private final BlockingQueue<String> vaultDoor = new LinkedBlockingQueue<>();
    /** Messages for the forwarder worker, with what its forward did. */
    private final BlockingQueue<CompletableFuture<LocalMessage>> forwarderInbox = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        node = Node.start();
        ctx = node.context();
        alice = Entity.create(ctx);
        bob = Entity.create(ctx);
        bob.createSecureChannelListener("bob");
        // Only Alice, as her authenticated channel says, may reach the door.
        ctx.startWorker(Address.local("door"), String.class, (c, m) -> vaultDoor.add(m.body()), Exposure.channelsOf("bob"),
                AccessControl.identifiers(alice.identifier()));
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    @Test
    void aMessageFromAlicesChannelCarriesHerIdentifierInItsOriginAndOpensTheDoor() throws Exception {
        Address channel = alice.createSecureChannel("bob");
        ctx.send(Route.of(channel, Address.of("door")), "from alice");
        assertThat(vaultDoor.poll(5, TimeUnit.SECONDS)).isEqualTo("from alice");
    }

    @Test
    void aWorkerCannotForwardUnderAMadeUpChannelOriginClaimingAlice() throws Exception {
        Origin.Channel forged = new Origin.Channel(Address.random(), Optional.of(Address.local("bob")), Optional.empty(),
                Optional.of(alice.identifier()), Origin.LOCAL);
        LocalMessage message = new LocalMessage(TransportMessage.wrap(Route.of("door"), Route.empty(), node.codecs().encode("forged")),
                Map.of(), forged);

        assertThatThrownBy(() -> ctx.forward(message)).isInstanceOfSatisfying(RoutingException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
        ctx.send(Route.of("door"), "local, no channel");
        assertThat(vaultDoor.poll(300, TimeUnit.MILLISECONDS)).as("neither the forged nor the channel-less message opens the door")
                .isNull();
    }

    @Test
    void aStringInTheLocalInformationGrantsNothing() throws Exception {
        LocalMessage message = new LocalMessage(TransportMessage.wrap(Route.of("door"), Route.empty(), node.codecs().encode("x")),
                Map.of("hopseal.peer-identifier", alice.identifier().value()));
        ctx.forward(message);
        assertThat(vaultDoor.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aMessageIsForwardedUnderTheOriginItCameWithWhileItsChannelIsOpen() throws Exception {
        ctx.startWorker(Address.local("relay"), LocalMessage.class, (c, m) -> {
            CompletableFuture<LocalMessage> done = new CompletableFuture<>();
            try {
                LocalMessage onward = m.body().stepForward();
                c.forward(onward);
                done.complete(onward);
            } catch (HopsealException e) {
                done.completeExceptionally(e);
            }
            forwarderInbox.add(done);
        }, Exposure.channelsOf("bob"), AccessControl.allowAll());
        Address channel = alice.createSecureChannel("bob");

        ctx.send(Route.of(channel, Address.of("relay"), Address.of("door")), "relayed");

        LocalMessage forwarded = forwarderInbox.poll(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        assertThat(forwarded.origin().peerIdentifier()).contains(alice.identifier());
        assertThat(vaultDoor.poll(5, TimeUnit.SECONDS)).isEqualTo("relayed");
    }

    @Test
    void aWorkersContextCannotStopTheNode() throws Exception {
        CompletableFuture<Throwable> attempt = new CompletableFuture<>();
        ctx.startWorker("stopper", String.class, (c, m) -> {
            try {
                c.stop();
                attempt.complete(null);
            } catch (IllegalStateException e) {
                attempt.complete(e);
            }
        });
        ctx.send("stopper", "stop!");
        assertThat(attempt.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class).hasMessageContaining("only the node's own context");
        assertThat(node.isRunning()).isTrue();
    }

    @Test
    void aTrustPolicyWithoutAnAuthenticatorIsRefusedNotIgnored() throws Exception {
        SecureChannels.createListener(ctx, "plain", node.vaults());
        SecureChannelOptions onlyBob = SecureChannelOptions.defaults().withTrustPolicy(new TrustIdentifierPolicy(bob.identifier()));
        assertThatThrownBy(() -> SecureChannels.create(ctx, Route.of("plain"), node.vaults(), null, onlyBob))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
        assertThatThrownBy(() -> SecureChannels.createListener(ctx, Address.local("plain2"), node.vaults(), null, onlyBob))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
        assertThat(node.isRegistered(Address.local("plain2"))).isFalse();
    }

    @Test
    void anIdentifierIsReadFromTheOriginOnly() {
        Identifier id = alice.identifier();
        Origin.Channel channel = new Origin.Channel(Address.random(), Optional.empty(), Optional.empty(), Optional.of(id), Origin.LOCAL);
        assertThat(channel.peerIdentifier()).contains(id);
        assertThat(Origin.LOCAL.peerIdentifier()).isEmpty();
        assertThat(new Origin.Transport(Address.random(), true).peerIdentifier()).isEmpty();
    }
}
