package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Echoer;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.core.node.Node;
import org.hopseal.vault.file.FileVault;
import org.hopseal.vault.file.KdfParameters;
import org.hopseal.vault.pkcs11.SoftHsm;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alice's identity key on a SoftHSM token, Bob's in a file or software vault: authenticated channels both ways in one
 * process. Issue 24's walkthrough through the command, on SoftHSM and on the TPM token, is {@link TokenIdentityIT}'s.
 */
class HsmIdentityIT {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @BeforeAll
    static void token() {
        SoftHsm.require();
    }

    @Test
    void channelsBothWaysInOneNode() throws Exception {
        // Its own label: a label names one identity's key, and TokenIdentityIT creates "alice" on this token.
        try (Vaults aliceVaults = Vaults.open(SoftHsm.uri(SoftHsm.TOKEN, "alice-inproc", "env:" + SoftHsm.PIN_ENV));
             FileVault bobFile = FileVault.open(dir.resolve("bob-inproc.vault"), "pw".toCharArray(), new KdfParameters(65536, 3, 1));
             Node node = Node.start()) {
            Vaults bobVaults = new Vaults(bobFile, bobFile, new SoftwareVerifier());
            var ctx = node.context();
            ctx.startWorker("echoer", new Echoer());
            Entity alice = Entity.create(ctx, aliceVaults);
            Entity bob = Entity.create(ctx, bobVaults);
            bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(alice.identifier()));
            alice.createSecureChannelListener("alice", new TrustIdentifierPolicy(bob.identifier()));
            ctx.send(Route.of(alice.createSecureChannel("bob", new TrustIdentifierPolicy(bob.identifier())), Address.of("echoer")), "a->b");
            Routed<String> r1 = ctx.receiveRouted(String.class, T);
            assertThat(r1.body()).isEqualTo("a->b");
            assertThat(r1.peerIdentifier()).contains(bob.identifier());
            ctx.send(Route.of(bob.createSecureChannel("alice", new TrustIdentifierPolicy(alice.identifier())), Address.of("echoer")), "b->a");
            Routed<String> r2 = ctx.receiveRouted(String.class, T);
            assertThat(r2.body()).isEqualTo("b->a");
            assertThat(r2.peerIdentifier()).contains(alice.identifier());
            // With the identity key on the token, the channels are still hybrid: ML-KEM keys are ephemeral software keys.
            assertThat(SecureChannelRegistry.of(node).all()).extracting(ChannelInfo::protocol)
                    .containsOnly(NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256);
        }
    }

    @Test
    void withTheChannelKeyOnTheTokenTooAReloadedEntityUsesTheSameTokenKey() throws Exception {
        String spec = SoftHsm.uri(SoftHsm.TOKEN, "alice-static", "env:" + SoftHsm.PIN_ENV) + "&x-channel-key=token";
        org.hopseal.api.identity.Identifier id;
        java.util.List<org.hopseal.api.vault.AgreementKeyHandle> tokenKeys;
        try (Vaults aliceVaults = Vaults.open(spec); Node node = Node.start()) {
            id = talkToBob(node, Entity.create(node.context(), aliceVaults));
            tokenKeys = aliceVaults.channel().agreementKeys();
            assertThat(tokenKeys).anyMatch(k -> k.id().startsWith("p11-") && k.type() == org.hopseal.api.vault.KeyType.X25519);
        }
        try (Vaults aliceVaults = Vaults.open(spec); Node node = Node.start()) {
            Entity alice = org.hopseal.core.identity.CoreEntity.load(node.context(), aliceVaults, id);
            assertThat(talkToBob(node, alice)).isEqualTo(id);
            assertThat(aliceVaults.channel().agreementKeys()).as("the static key was found on the token, not made anew")
                    .containsExactlyInAnyOrderElementsOf(tokenKeys);
        }
    }

    @Test
    void x3dhNeedsAnXeddsaIdentityKeyWhichATokenDoesNotOffer() throws Exception {
        String spec = SoftHsm.uri(SoftHsm.TOKEN, "alice-x3dh", "env:" + SoftHsm.PIN_ENV) + "&x-channel-key=token";
        try (Vaults aliceVaults = Vaults.open(spec); Node node = Node.start()) {
            Entity alice = Entity.create(node.context(), aliceVaults);
            java.util.List<org.hopseal.api.vault.AgreementKeyHandle> before = aliceVaults.channel().agreementKeys();
            var x3dh = org.hopseal.api.identity.SecureChannelOptions.defaults()
                    .withKeyAgreements(org.hopseal.api.identity.KeyAgreement.X3DH);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> alice.createSecureChannelListener("x3dh", x3dh))
                    .isInstanceOf(org.hopseal.api.error.HopsealException.class).hasMessageContaining("XEdDSA")
                    .extracting(e -> ((org.hopseal.api.error.HopsealException) e).kind())
                    .isEqualTo(org.hopseal.api.error.ErrorKind.UNSUPPORTED);
            assertThat(aliceVaults.channel().agreementKeys()).as("no signed prekey left on the token").isEqualTo(before);
            // Noise XX, which signs with the identity key on the token, is unaffected.
            alice.createSecureChannelListener("xx");
        }
    }

    /** Opens a channel from {@code alice} to a software-vault Bob, checks an echo, and returns Alice's identifier. */
    private static org.hopseal.api.identity.Identifier talkToBob(Node node, Entity alice) throws Exception {
        var ctx = node.context();
        ctx.startWorker("echoer", new Echoer());
        Entity bob = Entity.create(ctx);
        bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(alice.identifier()));
        ctx.send(Route.of(alice.createSecureChannel("bob", new TrustIdentifierPolicy(bob.identifier())), Address.of("echoer")), "static on token");
        assertThat(ctx.receive(String.class, T)).isEqualTo("static on token");
        return alice.identifier();
    }
}
