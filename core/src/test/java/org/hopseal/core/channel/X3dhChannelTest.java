package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.testing.Tap;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class X3dhChannelTest {
    private static final SecureChannelOptions X3DH = SecureChannelOptions.defaults().withKeyAgreements(KeyAgreement.X3DH)
            .withHandshakeTimeout(Duration.ofSeconds(3));
    private TestNode node;
    private Context ctx;
    private Tap tap;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start();
        ctx = node.context();
        tap = node.tap();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void anX3dhChannelCarriesMessagesBothWaysAndReportsThePeer() throws Exception {
        Entity alice = Entity.create(ctx);
        Entity bob = Entity.create(ctx);
        bob.createSecureChannelListener("bob", X3DH.withKeyAgreements(KeyAgreement.NOISE_XX, KeyAgreement.X3DH)
                .withTrustPolicy(new TrustIdentifierPolicy(alice.identifier())));
        List<org.hopseal.api.identity.Identifier> seen = new CopyOnWriteArrayList<>();
        ctx.startWorker("who", String.class, (c, m) -> {
            seen.add(m.peerIdentifier().orElseThrow());
            c.send(m.returnRoute(), "ok " + m.body());
        });
        Address channel = alice.createSecureChannel(Route.of("tap", "bob"), X3DH.withTrustPolicy(new TrustIdentifierPolicy(bob.identifier())));
        // At most half the encryptor's mailbox in flight: "who" serves everyone, so it does not wait for room.
        int sent = 0;
        for (int i = 0; i < 2000; i++) {
            while (sent < 2000 && sent - i < EncryptorWorker.MAILBOX_CAPACITY / 2) {
                ctx.send(Route.of(channel, Address.of("who")), "m" + sent++);
            }
            Routed<String> r = ctx.receiveRouted(String.class, Duration.ofSeconds(10));
            assertThat(r.body()).isEqualTo("ok m" + i);
            assertThat(r.peerIdentifier()).contains(bob.identifier());
        }
        assertThat(seen).hasSize(2000).containsOnly(alice.identifier());
        assertThat(tap.passed().get(0).transportMessage().payload()[0]).as("the first frame is an X3DH bundle request").isEqualTo((byte) ChannelFrame.X3DH);
        // The same listener still takes Noise XX.
        ctx.send(Route.of(alice.createSecureChannel("bob"), Address.of("echoer")), "noise too");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("noise too");
    }

    @Test
    void aTamperedSignedPrekeySignatureIsRejected() throws Exception {
        Entity alice = Entity.create(ctx);
        Entity bob = Entity.create(ctx);
        bob.createSecureChannelListener("bob", X3DH);
        tap.rewrite(b -> {
            if (b.length > 2 && b[0] == ChannelFrame.X3DH && b[1] == X3dhMessages.BUNDLE) {
                byte[] c = b.clone();
                c[2 + 33 + 33 + 1 + 5] ^= 1; // inside the signature: kind, IK (1+32), SPK (1+32), sig length (1)
                return c;
            }
            return b;
        });
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> alice.createSecureChannel(Route.of("tap", "bob"), X3DH))
                .hasMessageContaining("signed prekey signature does not verify");
    }

    @Test
    void aReusedOneTimePrekeyIsRejected() throws Exception {
        Entity alice = Entity.create(ctx);
        Entity bob = Entity.create(ctx);
        bob.createSecureChannelListener("bob", X3DH);
        alice.createSecureChannel(Route.of("tap", "bob"), X3DH);
        LocalMessage initial = tap.passed().stream().filter(m -> {
            byte[] p = Payloads.of(m.transportMessage());
            return p.length > 1 && p[0] == ChannelFrame.X3DH && p[1] == X3dhMessages.INITIAL;
        }).findFirst().orElseThrow();
        // A new exchange: ask the listener for a bundle ourselves, then answer it with the old initial message.
        ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of("bob"), Route.of(ctx.address()),
                ChannelFrame.x3dh(new byte[] {X3dhMessages.REQUEST}))));
        Routed<LocalMessage> bundle = ctx.receiveRouted(LocalMessage.class, Duration.ofSeconds(5));
        assertThat(Payloads.of(bundle.body().transportMessage())[1]).isEqualTo((byte) X3dhMessages.BUNDLE);
        ctx.forward(new LocalMessage(TransportMessage.wrap(bundle.returnRoute(), Route.of(ctx.address()), initial.transportMessage().payload())));
        LocalMessage abort = ctx.receive(LocalMessage.class, Duration.ofSeconds(5));
        assertThat(Payloads.of(abort.transportMessage())).containsExactly(ChannelFrame.ABORT);
    }

    @Test
    void aBundleWithALowOrderPointIsRejected() throws Exception {
        // A rogue listener whose bundle is validly signed but whose signed prekey is a low-order point.
        try (Vaults rogue = SoftwareVault.vaults(); Vaults mine = SoftwareVault.vaults()) {
            var ik = rogue.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            PublicKey lowOrder = new PublicKey(KeyType.X25519, new byte[32]);
            byte[] sig = rogue.channel().xeddsaSign(ik, lowOrder.bytes());
            PublicKey opk = rogue.channel().publicKey(rogue.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL));
            byte[] core = X3dhMessages.Bundle.core(rogue.channel().publicKey(ik), lowOrder, sig, 1L, opk);
            byte[] bundle = new X3dhMessages.Bundle(core, null, null, null, null, null, new byte[0]).encode();
            ctx.startWorker("rogue", LocalMessage.class, (c, m) -> c.forward(new LocalMessage(TransportMessage.wrap(
                    m.returnRoute(), Route.of(c.address()), ChannelFrame.x3dh(bundle)))));
            assertHopsealError(ErrorKind.INVALID, () -> SecureChannels.create(ctx, Route.of("rogue"), mine, null, X3DH))
                    .hasMessageContaining("low-order");
        }
    }

    @Test
    void aListenerWithoutX3dhIgnoresBundleRequests() throws Exception {
        Entity alice = Entity.create(ctx);
        Entity bob = Entity.create(ctx);
        bob.createSecureChannelListener("noise-only");
        assertHopsealError(ErrorKind.TIMEOUT, () -> alice.createSecureChannel(Route.of("noise-only"), X3DH.withHandshakeTimeout(Duration.ofMillis(300))));
    }
}
