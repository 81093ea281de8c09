package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Echo;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames that make sense only during a handshake, or not at all, reaching a channel end that is open: they are
 * dropped (and counted when they could be tampering), and the channel keeps working.
 */
class OpenChannelStrayFramesTest {
    private TestNode testNode;
    private Node node;
    private Context ctx;
    private Vaults vaults;
    private Address channel;
    private ChannelInfo responder;

    @BeforeEach
    void open() throws Exception {
        vaults = SoftwareVault.vaults();
        testNode = TestNode.builder().vaults(vaults).start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
        SecureChannels.createListener(ctx, "listener", vaults);
        channel = SecureChannels.create(ctx, Route.of("listener"), vaults);
        assertThat(Echo.through(ctx, channel, "open")).isEqualTo("open");
        responder = SecureChannelRegistry.of(node).all().stream().filter(i -> !i.encryptor().equals(channel)).findFirst().orElseThrow();
    }

    @AfterEach
    void stop() {
        testNode.close();
        vaults.close();
    }

    /** Sends {@code payload} to both ends' decryptors as local code can. */
    private void toBothDecryptors(byte[] payload) throws Exception {
        ChannelInfo initiator = SecureChannelRegistry.of(node).get(channel).orElseThrow();
        for (Address decryptor : new Address[] {responder.decryptor(), initiator.decryptor()}) {
            ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(decryptor), Route.of(ctx.address()), payload)));
        }
    }

    @Test
    void anAbortAfterTheHandshakeIsIgnored() throws Exception {
        toBothDecryptors(ChannelFrame.abort());
        assertThat(Echo.through(ctx, channel, "still open")).isEqualTo("still open");
        assertThat(SecureChannelRegistry.of(node).all()).hasSize(2);
        assertThat(responder.stats().tampered()).isZero();
    }

    @Test
    void handshakeMessagesAfterTheHandshakeAreIgnored() throws Exception {
        toBothDecryptors(ChannelFrame.handshake(new byte[48]));
        toBothDecryptors(ChannelFrame.x3dh(new byte[] {X3dhMessages.REQUEST}));
        assertThat(Echo.through(ctx, channel, "still open")).isEqualTo("still open");
        assertThat(SecureChannelRegistry.of(node).all()).hasSize(2);
    }

    @Test
    void undecodableAndUnauthenticatedFramesAreCountedAsTamperedAndDropped() throws Exception {
        toBothDecryptors(new byte[0]);
        toBothDecryptors(new byte[] {9});
        byte[] forged = ChannelFrame.data(new byte[ChannelFrame.DATA_HEADER + 40], 1000);
        toBothDecryptors(forged);
        assertThat(Echo.through(ctx, channel, "still open")).isEqualTo("still open");
        assertThat(responder.stats().tampered()).isEqualTo(3);
        assertThat(SecureChannelRegistry.of(node).get(channel).orElseThrow().stats().tampered()).isEqualTo(3);
        assertThat(responder.stats().replayed()).isZero();
        assertThat(responder.stats().tooOld()).isZero();
        assertThat(responder.stats().delivered()).isEqualTo(2);
    }

    @Test
    void aForgedFrameDoesNotUseUpItsNonce() throws Exception {
        // The next nonce the initiator will use: "open" was 0, so 1. A forgery claiming it must not block the real one.
        byte[] forged = ChannelFrame.data(new byte[ChannelFrame.DATA_HEADER + 40], 1);
        ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(responder.decryptor()), Route.of(ctx.address()), forged)));
        assertThat(Echo.through(ctx, channel, "the real nonce 1")).isEqualTo("the real nonce 1");
        assertThat(responder.stats().tampered()).isEqualTo(1);
        assertThat(responder.stats().replayed()).isZero();
    }
}
