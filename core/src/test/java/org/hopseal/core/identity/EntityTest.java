package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.testing.Echo;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTest {
    private TestNode testNode;
    private Node node;
    private Context ctx;
    private final List<Vaults> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        testNode = TestNode.start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
    }

    @AfterEach
    void stop() {
        testNode.close();
        opened.forEach(Vaults::close);
    }

    private Vaults vaults() {
        Vaults v = SoftwareVault.vaults();
        opened.add(v);
        return v;
    }

    private void awaitNoChannels(int addresses) throws InterruptedException {
        // The assertions below say what is left, should the wait run out.
        Await.holds(Duration.ofSeconds(5), () -> node.registeredAddressCount() == addresses && SecureChannelRegistry.of(node).all().isEmpty());
        assertThat(node.registeredAddressCount()).as("no half-open channel remains").isEqualTo(addresses);
        assertThat(SecureChannelRegistry.of(node).all()).isEmpty();
    }

    @Test
    void entityCreateUsesTheNodesVaultAndIdentifiersDiffer() throws Exception {
        Entity a = Entity.create(ctx);
        Entity b = Entity.create(ctx);
        assertThat(a.identifier()).isNotEqualTo(b.identifier());
        assertThat(a.identifier().toString()).matches("I[0-9a-f]{64}");
        assertThat(a.changeHistory().keys()).hasSize(1);
    }

    @Test
    void mutualTrustByIdentifierAndThePeerIdentifierTravelsWithEveryMessage() throws Exception {
        Entity alice = Entity.create(ctx, vaults());
        Entity bob = Entity.create(ctx, vaults());
        List<Identifier> seenByWorker = new CopyOnWriteArrayList<>();
        ctx.startWorker("who", String.class, (c, m) -> {
            seenByWorker.add(m.peerIdentifier().orElseThrow());
            c.send(m.returnRoute(), "ok");
        });
        bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(alice.identifier()));
        Address channel = alice.createSecureChannel("bob", new TrustIdentifierPolicy(bob.identifier()));
        ctx.send(Route.of(channel, Address.of("who")), "hi");
        Routed<String> reply = ctx.receiveRouted(String.class, Duration.ofSeconds(5));
        assertThat(seenByWorker).containsExactly(alice.identifier());
        assertThat(reply.peerIdentifier()).contains(bob.identifier());
    }

    @Test
    void theInitiatorsPolicyRefusesTheResponder() throws Exception {
        int baseline = node.registeredAddressCount();
        Entity alice = Entity.create(ctx, vaults());
        Entity bob = Entity.create(ctx, vaults());
        Entity carol = Entity.create(ctx, vaults());
        bob.createSecureChannelListener("bob");
        assertHopsealError(ErrorKind.UNTRUSTED, () -> alice.createSecureChannel("bob", new TrustIdentifierPolicy(carol.identifier())))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("trust policy refused");
        awaitNoChannels(baseline + 1);
    }

    @Test
    void theRespondersPolicyRefusesTheInitiator() throws Exception {
        int baseline = node.registeredAddressCount();
        Entity alice = Entity.create(ctx, vaults());
        Entity bob = Entity.create(ctx, vaults());
        Entity carol = Entity.create(ctx, vaults());
        bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(carol.identifier()));
        assertHopsealError(ErrorKind.UNTRUSTED, () -> alice.createSecureChannel("bob"))
                .hasMessageContaining("refused");
        awaitNoChannels(baseline + 1);
    }

    @Test
    void andOrCombinatorsAndLambdas() throws Exception {
        Entity alice = Entity.create(ctx, vaults());
        Entity bob = Entity.create(ctx, vaults());
        TrustPolicy onlyAlice = new TrustIdentifierPolicy(alice.identifier());
        TrustPolicy nobody = peer -> false;
        bob.createSecureChannelListener("or", nobody.or(onlyAlice));
        bob.createSecureChannelListener("and", onlyAlice.and(nobody));
        assertThat(Echo.through(ctx, alice.createSecureChannel("or"), "or")).isEqualTo("or");
        assertThatThrownBy(() -> alice.createSecureChannel("and")).isInstanceOf(HopsealException.class);
        assertThat(new TrustEveryonePolicy().and(peer -> peer.identifier().equals(alice.identifier()))
                .check(new org.hopseal.api.identity.PeerIdentity(alice.identifier(), alice.changeHistory().currentKey()))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void channelsTunnelInsideChannels(int depth) throws Exception {
        Entity alice = Entity.create(ctx, vaults());
        Entity bob = Entity.create(ctx, vaults());
        Route route = Route.empty();
        for (int level = 0; level < depth; level++) {
            String listener = "bob_" + level;
            bob.createSecureChannelListener(listener);
            Address channel = alice.createSecureChannel(route.append(Address.of(listener)));
            route = Route.of(channel);
        }
        ctx.send(route.append(Address.of("echoer")), "deep");
        Routed<String> reply = ctx.receiveRouted(String.class, Duration.ofSeconds(5));
        assertThat(reply.body()).isEqualTo("deep");
        assertThat(reply.peerIdentifier()).contains(bob.identifier());
    }

    @Test
    void aRotatedIdentityStillAuthenticatesAndKeepsItsIdentifier() throws Exception {
        Entity alice = Entity.create(ctx, vaults());
        Entity bob = Entity.create(ctx, vaults());
        Identifier before = alice.identifier();
        alice.rotateKey();
        alice.rotateKey();
        assertThat(alice.identifier()).isEqualTo(before);
        assertThat(alice.changeHistory().keys()).hasSize(3).doesNotHaveDuplicates();
        bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(before));
        assertThat(Echo.through(ctx, alice.createSecureChannel("bob"), "rotated")).isEqualTo("rotated");
        assertThat(bob.importContact(alice.exportContact().encoded()).identifier()).isEqualTo(before);
    }

    @Test
    void p256IdentitiesWorkToo() throws Exception {
        Vaults v = vaults();
        Entity alice = CoreEntity.create(ctx, v, KeyType.ECDSA_P256, java.time.InstantSource.system());
        Entity bob = Entity.create(ctx, vaults());
        alice.rotateKey();
        bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(alice.identifier()));
        assertThat(Echo.through(ctx, alice.createSecureChannel("bob"), "p256")).isEqualTo("p256");
    }

    @Test
    void manyMessagesBothWays() throws Exception {
        Entity alice = Entity.create(ctx, vaults());
        Entity bob = Entity.create(ctx, vaults());
        bob.createSecureChannelListener("bob");
        Address channel = alice.createSecureChannel("bob");
        for (int i = 0; i < 3000; i++) {
            ctx.send(Route.of(channel, Address.of("echoer")), "n" + i);
        }
        for (int i = 0; i < 3000; i++) {
            assertThat(ctx.receive(String.class, Duration.ofSeconds(10))).isEqualTo("n" + i);
        }
    }

    @Test
    void accessControlKeepsUntrustedPeersAwayAndTheirRefusalComesBackAsTheError() throws Exception {
        Entity alice = Entity.create(ctx, vaults());
        Entity mallory = Entity.create(ctx, vaults());
        Entity bob = Entity.create(ctx, vaults());
        List<String> reached = new CopyOnWriteArrayList<>();
        ctx.startWorker(Address.of("vault_of_gold"), String.class, (c, m) -> {
            reached.add(m.body());
            c.send(m.returnRoute(), "granted");
        }, AccessControl.identifiers(alice.identifier()));
        bob.createSecureChannelListener("bob");
        Context malloryApp = ctx.newContext(Address.random());
        malloryApp.send(Route.of(mallory.createSecureChannel("bob"), Address.of("vault_of_gold")), "from mallory");
        assertHopsealError(ErrorKind.UNTRUSTED, () -> malloryApp.receive(String.class, Duration.ofSeconds(30)))
                .isInstanceOf(RoutingException.class)
                .hasMessageEndingWith("worker vault_of_gold refused the message: its access control does not admit " + mallory.identifier());
        ctx.send("vault_of_gold", "without a channel");
        ctx.send(Route.of(alice.createSecureChannel("bob"), Address.of("vault_of_gold")), "from alice");
        assertThat(ctx.receive(String.class, Duration.ofSeconds(5))).isEqualTo("granted");
        assertThatThrownBy(() -> ctx.receive(String.class, Duration.ofMillis(300))).isInstanceOf(HopsealException.class);
        assertThat(reached).containsExactly("from alice");
    }

    @Test
    void aVaultThatSignsWronglyIsRejected() throws Exception {
        Vaults honest = vaults();
        Entity bob = Entity.create(ctx, vaults());
        bob.createSecureChannelListener("bob");
        // Crazy from the start: the identity's own first change does not verify, so it cannot even be created.
        CrazySigningVault crazyNow = new CrazySigningVault(honest.identity(), true);
        assertThatThrownBy(() -> Entity.create(ctx, new Vaults(crazyNow, honest.channel(), honest.verifier())))
                .isInstanceOf(IdentityException.class);
        // Crazy later: the proof of possession in the handshake does not verify, and bob refuses alice.
        CrazySigningVault crazyLater = new CrazySigningVault(honest.identity(), false);
        Entity alice = Entity.create(ctx, new Vaults(crazyLater, honest.channel(), honest.verifier()));
        assertThat(Echo.through(ctx, alice.createSecureChannel("bob"), "sane")).isEqualTo("sane");
        crazyLater.goCrazy();
        assertThatThrownBy(() -> alice.createSecureChannel("bob")).isInstanceOf(HopsealException.class).hasMessageContaining("refused");
    }

    @Test
    void historyCodecAndVerifierRejectForgeriesAndReordering() throws Exception {
        Vaults v = vaults();
        Entity alice = Entity.create(ctx, v);
        alice.rotateKey();
        alice.rotateKey();
        byte[] good = alice.changeHistory().encoded();
        Entity bob = Entity.create(ctx, vaults());
        List<IdentityChange> changes = new ArrayList<>(decode(good));
        // Reordered: swap the two rotations.
        List<IdentityChange> reordered = new ArrayList<>(changes);
        java.util.Collections.swap(reordered, 1, 2);
        assertThatThrownBy(() -> bob.importContact(IdentityHistory.encode(reordered))).isInstanceOf(IdentityException.class).hasMessageContaining("reordered");
        // Truncated chain that drops the middle change.
        List<IdentityChange> broken = List.of(changes.get(0), changes.get(2));
        assertThatThrownBy(() -> bob.importContact(IdentityHistory.encode(broken))).isInstanceOf(IdentityException.class);
        // Forged signature.
        IdentityChange c = changes.get(1);
        byte[] sig = c.selfSignature().clone();
        sig[5] ^= 1;
        List<IdentityChange> forged = List.of(changes.get(0), new IdentityChange(c.body(), c.index(), c.previousId(), c.key(), sig, c.previousSignature()), changes.get(2));
        assertThatThrownBy(() -> bob.importContact(IdentityHistory.encode(forged))).isInstanceOf(IdentityException.class).hasMessageContaining("bad signature");
        // A rotation without the previous key's signature.
        List<IdentityChange> unsigned = List.of(changes.get(0), new IdentityChange(c.body(), c.index(), c.previousId(), c.key(), c.selfSignature(), null));
        assertThatThrownBy(() -> bob.importContact(IdentityHistory.encode(unsigned))).isInstanceOf(IdentityException.class).hasMessageContaining("previous key");
        // Every truncation of the encoding is a clean identity error.
        for (int n = 0; n < good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            assertThatThrownBy(() -> bob.importContact(cut)).isInstanceOf(IdentityException.class);
        }
        // None of the above was learned; the genuine history is, and from then on a variant of it is a fork.
        assertThat(bob.importContact(good).identifier()).isEqualTo(alice.identifier());
        assertThatThrownBy(() -> bob.importContact(IdentityHistory.encode(reordered))).isInstanceOf(IdentityException.class)
                .hasMessageContaining("forks");
    }

    private static List<IdentityChange> decode(byte[] encoded) throws Exception {
        org.hopseal.api.wire.BareReader r = new org.hopseal.api.wire.BareReader(encoded);
        r.readU8();
        long n = r.readUint();
        List<IdentityChange> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(IdentityChange.decode(r));
        }
        return out;
    }

}
