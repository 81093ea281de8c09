package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.testing.Echo;
import org.hopseal.testing.Tap;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an open channel end does with messages that are not data for its peer: control requests only from its own
 * decryptor (by token), error replies from the path (ignored once open), and messages beyond the largest a channel
 * carries (refused to their sender, the channel stays open). The two ends talk through a {@link Tap} that counts the
 * frames.
 */
class ChannelControlTest {
    private final Vaults vaults = SoftwareVault.vaults();
    private Tap tap;
    private TestNode testNode;
    private Node node;
    private Context ctx;
    private Address channel;
    private ChannelInfo initiator;
    private ChannelInfo responder;

    @BeforeEach
    void open() throws Exception {
        testNode = TestNode.builder().vaults(vaults).start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
        tap = testNode.tap();
        SecureChannels.createListener(ctx, "listener", vaults);
        channel = SecureChannels.create(ctx, Route.of("tap", "listener"), vaults);
        assertThat(Echo.through(ctx, channel, "open")).isEqualTo("open");
        initiator = SecureChannelRegistry.of(node).get(channel).orElseThrow();
        responder = SecureChannelRegistry.of(node).all().stream().filter(i -> !i.encryptor().equals(channel)).findFirst()
                .orElseThrow();
    }

    @AfterEach
    void stop() {
        testNode.close();
        vaults.close();
    }

    @Test
    void aControlRequestWithoutTheDecryptorsTokenSendsNothingToThePeer() throws Exception {
        int before = tap.forwarded();
        for (int kind : new int[] {Plaintext.PING, Plaintext.PONG}) {
            ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(channel), Route.empty(), new byte[0]),
                    Map.of(EncryptorWorker.CONTROL_KEY, EncryptorWorker.control("not-the-token", kind))));
        }
        assertThat(Echo.through(ctx, channel, "after")).isEqualTo("after");
        assertThat(tap.forwarded() - before).as("only the echo and its reply crossed").isEqualTo(2);
        assertThat(initiator.stats().delivered()).isEqualTo(2);
    }

    @Test
    void anErrorReplyFromThePathToAnOpenChannelIsIgnored() throws Exception {
        // Entered by the way the responder's first frame came (the listener's, for a channel within the node).
        Origin fromPath = node.issue(new Origin.Transport(Address.of("listener"), true));
        byte[] error = new RoutingError(ErrorKind.NOT_FOUND, "no such address").encode();
        ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(responder.decryptor()), Route.empty(), error), Map.of(), fromPath));
        assertThat(Echo.through(ctx, channel, "still open")).isEqualTo("still open");
        assertThat(SecureChannelRegistry.of(node).all()).hasSize(2);
        assertThat(responder.stats().tampered()).isZero();
    }

    @Test
    void aMessageLargerThanAChannelCarriesFailsItsSenderAtOnceNamingTheLimitAndTheChannelStaysOpen() throws Exception {
        int before = tap.forwarded();
        assertHopsealError(ErrorKind.INVALID, () -> ctx.send(Route.of(channel, Address.of(Echo.ECHOER)), new byte[Reassembler.MAX_MESSAGE_BYTES]))
                .isInstanceOf(RoutingException.class).hasMessageStartingWith("the message is too large for a secure channel: ")
                .hasMessageContaining("a channel carries at most 16778240 (16 MiB of message and 1 KiB of routes); nothing was sent");
        assertThat(Echo.through(ctx, channel, "after")).isEqualTo("after");
        assertThat(tap.forwarded() - before).as("no fragment of the large message crossed").isEqualTo(2);
        assertThat(responder.stats().tampered()).isZero();
        assertThat(SecureChannelRegistry.of(node).all()).hasSize(2);
    }

    @Test
    void aMessageIsWeighedWithItsRoutesAsItEntersTheChannel() throws Exception {
        Route onward = Route.of(channel, Address.of(Echo.ECHOER));
        Route back = Route.of(ctx.address());
        int fits = Reassembler.MAX_MESSAGE_BYTES - TransportMessage.wrap(onward, back, new byte[Reassembler.MAX_MESSAGE_BYTES]).headSize();
        TransportMessage largest = TransportMessage.wrap(onward, back, new byte[fits]);
        assertThat(largest.encodedSize()).isEqualTo(Reassembler.MAX_MESSAGE_BYTES);

        EncryptorWorker.checkSize(new LocalMessage(largest));
        assertHopsealError(ErrorKind.INVALID, () -> EncryptorWorker.checkSize(new LocalMessage(TransportMessage.wrap(onward, back,
                new byte[fits + 1])))).hasMessageContaining((Reassembler.MAX_MESSAGE_BYTES + 1) + " bytes with its routes");
    }

    @Test
    void aSenderWhoseFrameFindsThePathGoneLearnsTheChannelClosedAndWhyAndTheEndStops() throws Exception {
        ctx.stopWorker(Address.of("tap"));
        assertHopsealError(ErrorKind.NOT_FOUND, () -> ctx.send(Route.of(channel, Address.of(Echo.ECHOER)), "lost"))
                .isInstanceOf(RoutingException.class).hasMessageStartingWith("secure channel closed: no worker at address tap");
        Await.await("this end's workers stopped", Duration.ofSeconds(5),
                () -> !node.isRegistered(channel) && !node.isRegistered(initiator.decryptor()));
        assertHopsealError(ErrorKind.NOT_FOUND, () -> ctx.send(Route.of(channel, Address.of(Echo.ECHOER)), "later"))
                .hasMessageContaining("secure channel closed: no worker at address tap");
    }

    @Test
    void onceTheChannelClosesNoWorkerMayForwardUnderTheOriginItsMessagesCameWith() throws Exception {
        BlockingQueue<LocalMessage> got = new LinkedBlockingQueue<>();
        ctx.startWorker(Address.local("keeper"), LocalMessage.class, (c, m) -> got.add(m.body()), Exposure.channelsOf("listener"),
                AccessControl.allowAll());
        ctx.send(Route.of(channel, Address.of("keeper")), "kept");
        LocalMessage kept = got.poll(5, TimeUnit.SECONDS);
        assertThat(kept).isNotNull();
        assertThat(kept.origin()).isInstanceOf(Origin.Channel.class);
        LocalMessage onward = new LocalMessage(TransportMessage.wrap(Route.of(Echo.ECHOER), Route.empty(), new byte[] {1}),
                Map.of(), kept.origin());
        ctx.forward(onward);

        SecureChannels.close(ctx, channel);
        Await.await("the responder stopped", Duration.ofSeconds(5), () -> !node.isRegistered(responder.decryptor()));
        assertHopsealError(ErrorKind.INVALID, () -> ctx.forward(onward)).hasMessageContaining("forwarded only under the origin");
    }
}
