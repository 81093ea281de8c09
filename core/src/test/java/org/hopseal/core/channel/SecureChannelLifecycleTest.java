package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.hopseal.testing.Await;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A channel end from opening to closing: what it reports, refusals before any handshake, and error replies. */
class SecureChannelLifecycleTest {
    private final Vaults vaults = SoftwareVault.vaults();
    private Node node;
    private Node remote;

    @AfterEach
    void stop() {
        if (remote != null) {
            remote.stop();
        }
        if (node != null) {
            node.stop();
        }
        vaults.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.await(what, Duration.ofSeconds(10), condition);
    }

    @Test
    void aPlainChannelOrListenerWithATrustPolicyIsRefusedBecauseNoIdentityIsProven() throws Exception {
        node = Node.start();
        TrustPolicy nobody = peer -> false;
        SecureChannelOptions options = SecureChannelOptions.defaults().withTrustPolicy(nobody);
        assertHopsealError(ErrorKind.INVALID, () -> SecureChannels.createListener(node.context(), Address.of("l"), vaults, null, options))
                .isInstanceOf(IdentityException.class).hasMessageContaining("a trust policy needs authenticated peers");
        assertThatThrownBy(() -> SecureChannels.create(node.context(), Route.of("l"), vaults, null, options))
                .isInstanceOf(IdentityException.class).hasMessageContaining("a trust policy needs authenticated peers");
    }

    @Test
    void anOpenChannelIsRegisteredWithItsAddressesAndFirstHopAndClosingItUnregistersIt() throws Exception {
        node = Node.start();
        var ctx = node.context();
        ctx.startWorker("echoer", new Echoer());
        SecureChannels.createListener(ctx, "listener", vaults);
        Address channel = SecureChannels.create(ctx, Route.of("listener"), vaults);
        SecureChannelRegistry registry = SecureChannelRegistry.of(node);

        ChannelInfo info = registry.get(channel).orElseThrow();
        await(() -> registry.all().size() == 2, "the responding end is registered too");
        assertThat(info.encryptor()).isEqualTo(channel);
        assertThat(info.decryptor()).isNotEqualTo(channel);
        ChannelInfo other = registry.all().stream().filter(i -> !i.encryptor().equals(channel)).findFirst().orElseThrow();
        assertThat(info.firstHop()).as("the first hop is the other end's decryptor").isEqualTo(other.decryptor());
        assertThat(other.firstHop()).isEqualTo(info.decryptor());
        assertThat(info.peer()).as("a plain channel proves no identity").isEmpty();
        assertThat(registry.all()).contains(info);
        ctx.send(Route.of(channel, Address.of("echoer")), "through");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("through");
        assertThat(info.stats().delivered()).isPositive();

        SecureChannels.close(ctx, channel);

        await(() -> registry.all().isEmpty(), "both ends are unregistered");
        assertThatThrownBy(() -> ctx.send(Route.of(channel, Address.of("echoer")), "after")).isInstanceOf(RoutingException.class);
    }

    /** A node listening on TCP with an Echoer and a plain channel listener; its port. */
    private int listeningRemote() throws HopsealException {
        remote = Node.start();
        remote.context().startWorker("echoer", new Echoer(), Exposure.channelsOf("listener"));
        SecureChannels.createListener(remote.context(), "listener", vaults);
        return TcpTransport.create(remote.context()).listen("127.0.0.1:0").getPort();
    }

    /** A channel from {@code node} to the listening remote over TCP, with one echo through it: its address. */
    private Address channelOverTcp() throws Exception {
        int port = listeningRemote();
        node = Node.start();
        TcpTransport.create(node.context());
        Address channel = SecureChannels.create(node.context(), Route.of(Address.tcp("127.0.0.1:" + port), Address.of("listener")), vaults);
        node.context().send(Route.of(channel, Address.of("echoer")), "through");
        assertThat(node.context().receive(String.class, Duration.ofSeconds(5))).isEqualTo("through");
        await(() -> SecureChannelRegistry.of(remote).all().size() == 1, "the remote end is open");
        return channel;
    }

    @Test
    void closingAChannelOverTcpTellsThePeerOverTheOpenConnection() throws Exception {
        Address channel = channelOverTcp();

        SecureChannels.close(node.context(), channel);

        await(() -> SecureChannelRegistry.of(remote).all().isEmpty(), "the remote end heard the close notice and closed");
        assertThat(TcpTransport.create(node.context()).connectionCount()).as("the connection itself stays open").isEqualTo(1);
    }

    @Test
    void anEndWhosePeersConnectionClosedStopsWithoutDialingThePeersAddress() throws Exception {
        channelOverTcp();
        ChannelInfo remoteEnd = SecureChannelRegistry.of(remote).all().iterator().next();
        assertThat(remoteEnd.firstHop().type()).as("the remote end's peer is behind the connection it accepted").isEqualTo(Address.TCP);

        // As a command that sent its message and exits: its node stops and its connection (from an ephemeral port) closes.
        node.stop();
        node = null;

        await(() -> SecureChannelRegistry.of(remote).all().isEmpty(), "the remote end closed with its connection");
        // An end records why it stopped; a close notice that dialed the peer's ephemeral port would have failed and
        // replaced that reason with "cannot connect to 127.0.0.1:...".
        assertThatThrownBy(() -> remote.context().send(Route.of(remoteEnd.encryptor(), Address.of("echoer")), "after"))
                .isInstanceOf(RoutingException.class)
                .hasMessageEndingWith("(secure channel closed: connection to " + remoteEnd.firstHop().valueText() + " closed)");
        assertThat(TcpTransport.create(remote.context()).connectionCount()).isZero();
    }

    @Test
    void anErrorReplyFromThePathEndsAPendingHandshakeAtOnce() throws Exception {
        remote = Node.start();
        int port = TcpTransport.create(remote.context()).listen("127.0.0.1:0").getPort();
        node = Node.start();
        TcpTransport.create(node.context());
        Route toNobody = Route.of(Address.tcp("127.0.0.1:" + port), Address.of("no-listener"));
        SecureChannelOptions options = SecureChannelOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(60));

        long start = System.nanoTime();
        assertThatThrownBy(() -> SecureChannels.create(node.context(), toNobody, vaults, null, options))
                .isInstanceOf(RoutingException.class).hasMessageContaining("could not be routed")
                .hasMessageContaining("no-listener");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well before the handshake timeout").isLessThan(Duration.ofSeconds(30));
        await(() -> SecureChannelRegistry.of(node).all().isEmpty(), "nothing is left open");
    }
}
