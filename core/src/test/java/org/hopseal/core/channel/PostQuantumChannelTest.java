package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.PostQuantum;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.testing.Echo;
import org.hopseal.testing.Tap;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which protocol a channel gets for each pair of post-quantum policies, how refusals read, and an attacker on the
 * path who tries to turn a hybrid channel into a classical one (see {@code docs/post-quantum.md}).
 */
class PostQuantumChannelTest {
    private static final String HYBRID = NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256;
    private static final String CLASSICAL = NoiseProtocol.XX_25519_AESGCM_SHA256;
    private static final SecureChannelOptions BASE = SecureChannelOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(5));

    private TestNode testNode;
    private Node node;
    private Context ctx;
    private SoftwareVault vault;
    private Vaults vaults;
    private Vaults withoutKem;
    private Tap tap;

    @BeforeEach
    void start() throws Exception {
        vault = new SoftwareVault();
        vaults = new Vaults(vault, vault, new SoftwareVerifier());
        withoutKem = new Vaults(vault, withoutKem(vault), new SoftwareVerifier());
        testNode = TestNode.builder().vaults(vaults).start();
        node = Node.of(testNode.context());
        ctx = testNode.context();
        tap = testNode.tap();
    }

    @AfterEach
    void stop() {
        testNode.close();
        vaults.close();
    }

    /** The same vault, but offering no KEM: every KEM operation is the SPI's default {@code UNSUPPORTED}. */
    private static SecureChannelVault withoutKem(SecureChannelVault real) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("kemAlgorithms")) {
                return Set.of();
            }
            if (method.isDefault() && Set.of("generateKemKey", "importKemKey", "kemPublicKey", "encapsulate", "decapsulate")
                    .contains(method.getName())) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (SecureChannelVault) Proxy.newProxyInstance(SecureChannelVault.class.getClassLoader(),
                new Class<?>[] {SecureChannelVault.class}, handler);
    }

    private void listen(String address, Vaults listenerVaults, PostQuantum policy) throws HopsealException {
        SecureChannels.createListener(ctx, Address.of(address), listenerVaults, null, BASE.withPostQuantum(policy));
    }

    private ChannelInfo open(Route route, Vaults initiatorVaults, PostQuantum policy) throws HopsealException {
        return SecureChannels.create(ctx, route, initiatorVaults, null, BASE.withPostQuantum(policy));
    }

    private List<Integer> frameTypesThroughTheTap() {
        return tap.passed().stream().map(m -> Payloads.of(m.transportMessage())[0] & 0xFF).toList();
    }

    @Test
    void byDefaultBothEndsAgreeOnTheHybridProtocolAndItCarriesMessages() throws Exception {
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, BASE);
        ChannelInfo channel = SecureChannels.create(ctx, Route.of("tap", "listener"), vaults, null, BASE);
        assertThat(BASE.postQuantum()).isEqualTo(PostQuantum.PREFERRED);
        assertThat(channel.protocol()).isEqualTo(HYBRID);
        assertThat(Echo.through(ctx, channel.encryptor(), "after the quantum computer")).isEqualTo("after the quantum computer");
        Await.await("the listener's end is registered", Duration.ofSeconds(5), () -> SecureChannelRegistry.of(node).all().size() == 2);
        assertThat(SecureChannelRegistry.of(node).all()).extracting(ChannelInfo::protocol).containsOnly(HYBRID);
        // Message 1 is e and e1 (1,216 bytes, empty payload) in a hybrid handshake frame.
        LocalMessage first = tap.passed().get(0);
        assertThat(Payloads.of(first.transportMessage())).hasSize(1 + 32 + 1184);
        assertThat(frameTypesThroughTheTap().subList(0, 3)).containsOnly(ChannelFrame.HYBRID_HANDSHAKE);
    }

    @Test
    void everyPairOfPoliciesGivesTheProtocolTheTableSays() throws Exception {
        for (PostQuantum listener : PostQuantum.values()) {
            listen("listener-" + listener, vaults, listener);
        }
        assertThat(open(Route.of("listener-OFF"), vaults, PostQuantum.OFF).protocol()).isEqualTo(CLASSICAL);
        assertThat(open(Route.of("listener-OFF"), vaults, PostQuantum.PREFERRED).protocol()).isEqualTo(CLASSICAL);
        assertThat(open(Route.of("listener-PREFERRED"), vaults, PostQuantum.OFF).protocol()).isEqualTo(CLASSICAL);
        assertThat(open(Route.of("listener-PREFERRED"), vaults, PostQuantum.PREFERRED).protocol()).isEqualTo(HYBRID);
        assertThat(open(Route.of("listener-PREFERRED"), vaults, PostQuantum.REQUIRED).protocol()).isEqualTo(HYBRID);
        assertThat(open(Route.of("listener-REQUIRED"), vaults, PostQuantum.PREFERRED).protocol()).isEqualTo(HYBRID);
        assertThat(open(Route.of("listener-REQUIRED"), vaults, PostQuantum.REQUIRED).protocol()).isEqualTo(HYBRID);
    }

    @Test
    void aListenerThatRequiresHybridRefusesAClassicalInitiatorAtOnceSayingWhy() throws Exception {
        listen("listener", vaults, PostQuantum.REQUIRED);
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> open(Route.of("tap", "listener"), vaults, PostQuantum.OFF))
                .hasMessageContaining("the listener requires a hybrid post-quantum channel (postQuantum REQUIRED)")
                .hasMessageContaining("this end offered " + CLASSICAL);
        assertThat(frameTypesThroughTheTap()).containsExactly(ChannelFrame.HANDSHAKE, ChannelFrame.ABORT);
        assertThat(SecureChannelRegistry.of(node).all()).isEmpty();
    }

    @Test
    void anInitiatorThatRequiresHybridIsRefusedByAClassicalListenerAndDoesNotFallBack() throws Exception {
        listen("listener", vaults, PostQuantum.OFF);
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> open(Route.of("tap", "listener"), vaults, PostQuantum.REQUIRED))
                .hasMessageContaining("the listener does not accept hybrid post-quantum channels")
                .hasMessageContaining("this end offered " + HYBRID);
        assertThat(frameTypesThroughTheTap()).containsExactly(ChannelFrame.HYBRID_HANDSHAKE, ChannelFrame.ABORT);
        assertThat(SecureChannelRegistry.of(node).all()).isEmpty();
    }

    @Test
    void aPreferringInitiatorFallsBackToClassicalWhenTheListenerRefusesHybrid() throws Exception {
        listen("listener", vaults, PostQuantum.OFF);
        ChannelInfo channel = open(Route.of("tap", "listener"), vaults, PostQuantum.PREFERRED);
        assertThat(channel.protocol()).isEqualTo(CLASSICAL);
        assertThat(Echo.through(ctx, channel.encryptor(), "classical")).isEqualTo("classical");
        assertThat(frameTypesThroughTheTap().subList(0, 5)).containsExactly(ChannelFrame.HYBRID_HANDSHAKE, ChannelFrame.ABORT,
                ChannelFrame.HANDSHAKE, ChannelFrame.HANDSHAKE, ChannelFrame.HANDSHAKE);
    }

    @Test
    void aVaultWithoutMlKemMakesClassicalChannelsUnderPreferredAndRefusesRequiredAtOnce() throws Exception {
        listen("kemless", withoutKem, PostQuantum.PREFERRED);
        listen("listener", vaults, PostQuantum.PREFERRED);
        assertThat(open(Route.of("kemless"), vaults, PostQuantum.PREFERRED).protocol()).as("refused hybrid, then classical").isEqualTo(CLASSICAL);
        assertThat(open(Route.of("listener"), withoutKem, PostQuantum.PREFERRED).protocol()).as("offers classical").isEqualTo(CLASSICAL);
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> open(Route.of("listener"), withoutKem, PostQuantum.REQUIRED))
                .hasMessageContaining("postQuantum REQUIRED needs ML-KEM-768, which this vault does not offer");
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> listen("never", withoutKem, PostQuantum.REQUIRED))
                .hasMessageContaining("postQuantum REQUIRED needs ML-KEM-768");
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> open(Route.of("kemless"), vaults, PostQuantum.REQUIRED))
                .hasMessageContaining("the listener does not accept hybrid");
    }

    @Test
    void anAttackerWhoRelabelsTheHybridMessageAsClassicalGetsNoChannelOnEitherSide() throws Exception {
        listen("listener", vaults, PostQuantum.PREFERRED);
        // Message 1 becomes a classical message 1 (its e, no e1); the listener's classical answer is relabelled hybrid.
        tap.rewrite(payload -> switch (payload[0]) {
            case ChannelFrame.HYBRID_HANDSHAKE -> ChannelFrame.handshake(ChannelFrame.HANDSHAKE, Arrays.copyOfRange(payload, 1, 33));
            case ChannelFrame.HANDSHAKE -> ChannelFrame.handshake(ChannelFrame.HYBRID_HANDSHAKE, Arrays.copyOfRange(payload, 1, payload.length));
            default -> payload;
        });
        // The classical answer is too short for a hybrid message 2; padded, it would fail to authenticate.
        assertHopsealError(ErrorKind.PROTOCOL, () -> open(Route.of("tap", "listener"), vaults, PostQuantum.REQUIRED))
                .hasMessageContaining("too short");
        Await.await("no handshake is left pending", Duration.ofSeconds(5), () -> SecureChannelRegistry.of(node).all().isEmpty());
        assertThat(frameTypesThroughTheTap()).doesNotContain(ChannelFrame.DATA);
    }

    @Test
    void aForgedRefusalEndsARequiredChannelAndOnlyDowngradesAPreferredOne() throws Exception {
        listen("listener", vaults, PostQuantum.PREFERRED);
        // The attacker drops the hybrid message 1 and answers it with "does not accept hybrid" in the listener's name.
        ctx.startWorker("forger", LocalMessage.class, (c, msg) -> {
            LocalMessage m = msg.body().stepForward();
            byte[] payload = Payloads.of(m.transportMessage());
            if (payload[0] == ChannelFrame.HYBRID_HANDSHAKE) {
                c.forward(new LocalMessage(TransportMessage.wrap(m.transportMessage().returnRoute(),
                        Route.of("listener"), ChannelFrame.abort(ChannelFrame.REFUSES_HYBRID))));
            } else {
                c.forward(m.prependReturn(c.address()));
            }
        });
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> open(Route.of("forger", "listener"), vaults, PostQuantum.REQUIRED))
                .hasMessageContaining("does not accept hybrid");
        assertThat(SecureChannelRegistry.of(node).all()).isEmpty();
        // PREFERRED trusts the unauthenticated refusal: this is the downgrade docs/post-quantum.md warns of.
        assertThat(open(Route.of("forger", "listener"), vaults, PostQuantum.PREFERRED).protocol()).isEqualTo(CLASSICAL);
    }

    @Test
    void hybridHandshakesLeaveNoKeysBehindWhetherTheySucceedOrFail() throws Exception {
        listen("listener", vaults, PostQuantum.PREFERRED);
        listen("classical", vaults, PostQuantum.OFF);
        ChannelInfo warm = open(Route.of("listener"), vaults, PostQuantum.REQUIRED);
        node.stopWorker(warm.encryptor(), "test done");
        Await.await("the first channel is gone", Duration.ofSeconds(5), () -> SecureChannelRegistry.of(node).all().isEmpty());
        // The registry forgets a channel before its workers' shutdown deletes the keys: wait for the two listeners' static
        // keys alone, or the count taken here may still hold the first channel's.
        Await.await("the first channel's keys are deleted", Duration.ofSeconds(5), () -> vault.size() == 2);
        int keys = vault.size();
        for (int i = 0; i < 5; i++) {
            ChannelInfo c = open(Route.of("listener"), vaults, PostQuantum.REQUIRED);
            node.stopWorker(c.encryptor(), "test done");
            assertHopsealError(ErrorKind.UNSUPPORTED, () -> open(Route.of("classical"), vaults, PostQuantum.REQUIRED));
        }
        Await.await("every channel is gone", Duration.ofSeconds(5), () -> SecureChannelRegistry.of(node).all().isEmpty());
        Await.await("the vault holds as many keys as before (" + keys + ")", Duration.ofSeconds(5), () -> vault.size() == keys);
    }
}
