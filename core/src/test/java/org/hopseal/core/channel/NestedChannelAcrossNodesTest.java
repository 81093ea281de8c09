package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A secure channel inside another one, between two nodes ({@code Origin.Channel} over {@code Origin.Channel} over a
 * connection). Within one node such a channel is "within the node" and admitted everywhere; across nodes the inner
 * channel's decryptors must take their peer's frames from the outer channel's end.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NestedChannelAcrossNodesTest {
    private static final Duration HANDSHAKE = Duration.ofSeconds(3);

    private Node responder;
    private Node initiator;
    private Address responderTcp;

    @BeforeEach
    void start() throws Exception {
        responder = Node.start();
        Context r = responder.context();
        SecureChannels.createListener(r, Address.of("outer"), responder.vaults(), null, new TrustEveryonePolicy(), HANDSHAKE);
        SecureChannels.createListener(r, Address.of("inner"), responder.vaults(), null, new TrustEveryonePolicy(), HANDSHAKE);
        r.startWorker("echoer", new Echoer(), Exposure.channelsOf("outer", "inner"));
        int port = TcpTransport.create(r).listen("127.0.0.1:0").getPort();
        responderTcp = Address.tcp("127.0.0.1:" + port);
        initiator = Node.start();
        TcpTransport.create(initiator.context());
    }

    @AfterEach
    void stop() {
        initiator.stop();
        responder.stop();
    }

    private Address open(Route route) throws Exception {
        return SecureChannels.create(initiator.context(), route, initiator.vaults(), null, new TrustEveryonePolicy(), HANDSHAKE)
                .encryptor();
    }

    @Test
    void aChannelOverTcpCarriesMessagesBothWays() throws Exception {
        Address outer = open(Route.of(responderTcp, Address.of("outer")));
        Context ctx = initiator.context();
        ctx.send(Route.of(outer, Address.of("echoer")), "through one channel");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("through one channel");
    }

    @Test
    void aChannelInsideAChannelOverTcpCarriesMessagesBothWays() throws Exception {
        Address outer = open(Route.of(responderTcp, Address.of("outer")));
        Address inner = open(Route.of(outer, Address.of("inner")));
        Context ctx = initiator.context();
        ctx.send(Route.of(inner, Address.of("echoer")), "through two channels");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("through two channels");
    }

    @Test
    void messagesOfSeveralFragmentsCrossTcpIntactThroughOneChannelAndThroughTwo() throws Exception {
        Address outer = open(Route.of(responderTcp, Address.of("outer")));
        Address inner = open(Route.of(outer, Address.of("inner")));
        Context ctx = initiator.context();
        for (Address channel : new Address[] {outer, inner}) {
            for (int size : new int[] {65_536, 200_000}) {
                byte[] big = new byte[size];
                new Random(size).nextBytes(big);
                ctx.send(Route.of(channel, Address.of("echoer")), big);
                assertThat(ctx.receive(byte[].class, Duration.ofSeconds(10))).as("%d bytes through %s", size, channel).isEqualTo(big);
            }
        }
    }
}
