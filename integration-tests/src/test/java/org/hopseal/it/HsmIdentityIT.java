package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.node.Node;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.file.FileVault;
import org.hopseal.vault.file.KdfParameters;
import org.hopseal.vault.pkcs11.SoftHsm;
import org.hopseal.vault.pkcs11.TestToken;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Alice's identity key on a token (SoftHSM; X3DH on the TPM token too), Bob's in a file or software vault:
 * authenticated channels both ways in one process. Issue 24's walkthrough through the command is {@link TokenIdentityIT}'s.
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
             TestNode node = TestNode.start()) {
            Vaults bobVaults = new Vaults(bobFile, bobFile, new SoftwareVerifier());
            var ctx = node.context();
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
            assertThat(SecureChannelRegistry.of(Node.of(ctx)).all()).extracting(ChannelInfo::protocol)
                    .containsOnly(NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256);
        }
    }

    @Test
    void withTheChannelKeyOnTheTokenTooAReloadedEntityUsesTheSameTokenKey() throws Exception {
        String spec = SoftHsm.uri(SoftHsm.TOKEN, "alice-static", "env:" + SoftHsm.PIN_ENV) + "&x-channel-key=token";
        Identifier id;
        List<AgreementKeyHandle> tokenKeys;
        try (Vaults aliceVaults = Vaults.open(spec); Node node = Node.start()) {
            id = talkToBob(node, Entity.create(node.context(), aliceVaults));
            tokenKeys = aliceVaults.channel().agreementKeys();
            assertThat(tokenKeys).anyMatch(k -> k.id().startsWith("p11-") && k.type() == KeyType.X25519);
        }
        try (Vaults aliceVaults = Vaults.open(spec); Node node = Node.start()) {
            Entity alice = CoreEntity.load(node.context(), aliceVaults, id);
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
            List<AgreementKeyHandle> before = aliceVaults.channel().agreementKeys();
            var x3dh = SecureChannelOptions.defaults().withKeyAgreements(KeyAgreement.X3DH);
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> alice.createSecureChannelListener("x3dh", x3dh))
                    .hasMessageContaining("XEdDSA");
            assertThat(aliceVaults.channel().agreementKeys()).as("no signed prekey left on the token").isEqualTo(before);
            // Noise XX, which signs with the identity key on the token, is unaffected.
            alice.createSecureChannelListener("xx");
        }
    }

    /**
     * With the identity on a token and the channel keys in software (the default), X3DH works: X3DH's identity key is
     * the entity's static X25519 key, which is in software and so signs the prekeys with XEdDSA, and which the token's
     * key attests.
     */
    @ParameterizedTest
    @EnumSource(TestToken.class)
    void x3dhWorksWithTheIdentityOnATokenAndTheChannelKeyInSoftware(TestToken token) throws Exception {
        token.require();
        SecureChannelOptions x3dh = SecureChannelOptions.defaults().withKeyAgreements(KeyAgreement.X3DH);
        try (Vaults aliceVaults = Vaults.open(token.uri("alice-x3dh-software")); TestNode node = TestNode.start()) {
            Context ctx = node.context();
            Entity alice = Entity.create(ctx, aliceVaults);
            Entity bob = Entity.create(ctx);
            alice.createSecureChannelListener("alice", x3dh.withTrustPolicy(new TrustIdentifierPolicy(bob.identifier())));
            bob.createSecureChannelListener("bob", x3dh.withTrustPolicy(new TrustIdentifierPolicy(alice.identifier())));

            Address toAlice = bob.createSecureChannel(Route.of("alice"),
                    x3dh.withTrustPolicy(new TrustIdentifierPolicy(alice.identifier())));
            ctx.send(Route.of(toAlice, Address.of("echoer")), "to the listener on the token");
            Routed<String> fromAlice = ctx.receiveRouted(String.class, T);
            assertThat(fromAlice.body()).isEqualTo("to the listener on the token");
            assertThat(fromAlice.peerIdentifier()).contains(alice.identifier());

            Address toBob = alice.createSecureChannel(Route.of("bob"), x3dh.withTrustPolicy(new TrustIdentifierPolicy(bob.identifier())));
            ctx.send(Route.of(toBob, Address.of("echoer")), "from the initiator on the token");
            Routed<String> fromBob = ctx.receiveRouted(String.class, T);
            assertThat(fromBob.body()).isEqualTo("from the initiator on the token");
            assertThat(fromBob.peerIdentifier()).contains(bob.identifier());

            assertThat(SecureChannelRegistry.of(Node.of(ctx)).all()).extracting(ChannelInfo::protocol).containsOnly("X3DH");
        }
    }

    /** Opens a channel from {@code alice} to a software-vault Bob, checks an echo, and returns Alice's identifier. */
    private static Identifier talkToBob(Node node, Entity alice) throws Exception {
        var ctx = node.context();
        ctx.startWorker("echoer", new Echoer());
        Entity bob = Entity.create(ctx);
        bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(alice.identifier()));
        ctx.send(Route.of(alice.createSecureChannel("bob", new TrustIdentifierPolicy(bob.identifier())), Address.of("echoer")), "static on token");
        assertThat(ctx.receive(String.class, T)).isEqualTo("static on token");
        return alice.identifier();
    }
}
