package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener starts a responder only for a frame that opens a handshake it accepts: a Noise message 1 when it takes
 * Noise XX, exactly an X3DH bundle request when it takes X3DH. Everything else is dropped without a worker. Each
 * case sends the frame to drop, then one that opens a handshake: the listener takes them in order, so exactly one
 * responder appearing shows the first was dropped.
 */
class ListenerFramesTest {
    private static final Duration T = Duration.ofSeconds(5);
    private final Vaults vaults = SoftwareVault.vaults();
    private Node node;
    private Context ctx;

    @BeforeEach
    void start() throws Exception {
        node = Node.builder().vaults(vaults).start();
        ctx = node.context();
    }

    @AfterEach
    void stop() {
        node.stop();
        vaults.close();
    }

    private void toListener(String listener, byte[] frame) throws Exception {
        ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(listener), Route.of(ctx.address()), frame)));
    }

    /** Sends {@code dropped}, then {@code opening}; asserts that exactly one responder was started. */
    private void assertDroppedBefore(String listener, byte[] dropped, byte[] opening) throws Exception {
        int before = node.registeredAddressCount();
        toListener(listener, dropped);
        toListener(listener, opening);
        Await.await("a responder for the opening frame", T, () -> node.registeredAddressCount() > before);
        assertThat(node.registeredAddressCount()).as("no responder for the dropped frame").isEqualTo(before + 1);
    }

    /** A Noise XX message 1: an ephemeral key (any 32 bytes but a low-order point) and an empty payload. */
    private static byte[] noiseMessage1() {
        byte[] e = new byte[32];
        new Random(1).nextBytes(e);
        return ChannelFrame.handshake(e);
    }

    private static byte[] request() {
        return ChannelFrame.x3dh(new byte[] {X3dhMessages.REQUEST});
    }

    @Test
    void anX3dhListenerTakesOnlyAOneByteBundleRequest() throws Exception {
        SecureChannels.createListener(ctx, Address.of("x3dh"), vaults, null,
                SecureChannelOptions.defaults().withKeyAgreements(KeyAgreement.X3DH));
        assertDroppedBefore("x3dh", ChannelFrame.x3dh(new byte[] {X3dhMessages.REQUEST, 0}), request());
        assertDroppedBefore("x3dh", ChannelFrame.x3dh(new byte[] {X3dhMessages.BUNDLE}), request());
        assertDroppedBefore("x3dh", noiseMessage1(), request());
    }

    @Test
    void aNoiseListenerDropsX3dhRequestsAndUndecodableFrames() throws Exception {
        SecureChannels.createListener(ctx, "noise", vaults);
        assertDroppedBefore("noise", request(), noiseMessage1());
        assertDroppedBefore("noise", new byte[0], noiseMessage1());
        assertDroppedBefore("noise", ChannelFrame.abort(), noiseMessage1());
    }
}
