package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.PostQuantum;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A security review of hybrid post-quantum channels (docs/post-quantum.md): an attacker on the path and a hostile peer.
 * Each test states the secure behaviour.
 */
class PostQuantumAttackTest {
    private static final SecureChannelOptions BASE = SecureChannelOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(5));

    private Node node;
    private Context ctx;
    private SoftwareVault vault;
    private Vaults vaults;

    @BeforeEach
    void start() throws Exception {
        vault = new SoftwareVault();
        vaults = new Vaults(vault, vault, new SoftwareVerifier());
        node = Node.builder().vaults(vaults).start();
        ctx = node.context();
    }

    @AfterEach
    void stop() {
        node.stop();
        vaults.close();
    }

    /**
     * A listener refuses hybrid only in answer to message 1, so a "does not accept hybrid" abort that reaches an initiator
     * after it has read (and authenticated) the listener's hybrid message 2 is forged. An attacker who drops the listener's
     * confirmation and forges that abort must not get a PREFERRED initiator to start again classically: by then the
     * listener has accepted the hybrid channel (which is left open, without a peer, besides the classical one).
     */
    @Test
    void aRefusalForgedAfterTheListenersHybridAnswerDoesNotMakeTheInitiatorFallBack() throws Exception {
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, BASE.withPostQuantum(PostQuantum.PREFERRED));
        List<Integer> types = new CopyOnWriteArrayList<>();
        AtomicBoolean forged = new AtomicBoolean();
        ctx.startWorker("forger", LocalMessage.class, (c, msg) -> {
            LocalMessage m = msg.body().stepForward().prependReturn(c.address());
            byte[] payload = Payloads.of(m.transportMessage());
            types.add(payload[0] & 0xFF);
            if (payload[0] == ChannelFrame.DATA && forged.compareAndSet(false, true)) {
                // The listener's confirmation (its first data frame, after message 3): dropped, and in its place a refusal.
                c.forward(new LocalMessage(TransportMessage.wrap(m.transportMessage().onwardRoute(), Route.of(c.address()),
                        ChannelFrame.abort(ChannelFrame.REFUSES_HYBRID))));
                return;
            }
            c.forward(m);
        });
        // After message 3 a reason is not honoured: the forged abort is a plain refusal, and there is no fallback.
        assertHopsealError(ErrorKind.UNTRUSTED, () -> SecureChannels.create(ctx, Route.of("forger", "listener"), vaults, null,
                BASE.withPostQuantum(PostQuantum.PREFERRED))).hasMessage("the peer refused the secure channel");
        assertThat(forged).as("the attacker forged the refusal after message 3").isTrue();
        assertThat(types).as("frames on the path: a classical handshake after the listener accepted hybrid")
                .doesNotContain(ChannelFrame.HANDSHAKE);
    }

    /**
     * A listener with {@value ListenerWorker#MAX_PENDING_HANDSHAKES} handshakes pending drops further first messages.
     * Dropping one must cost the vault nothing: a hostile peer can send a hybrid message 1 (the same 1,216 bytes each
     * time) as often as it likes, and the limit is there so that a flood cannot exhaust the node.
     */
    @Test
    void anOverloadedListenerDropsFirstMessagesWithoutLeavingVaultEntriesBehind() throws Exception {
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null,
                BASE.withPostQuantum(PostQuantum.REQUIRED).withHandshakeTimeout(Duration.ofMinutes(2)));
        AtomicInteger answers = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        ctx.startWorker("sink", LocalMessage.class, (c, msg) -> {
            byte[] payload = Payloads.of(msg.body().transportMessage());
            (payload[0] == ChannelFrame.ABORT ? refusals : answers).incrementAndGet();
        });
        // One real hybrid message 1, sent again and again (the attacker does no ML-KEM work of its own).
        AgreementKeyHandle s = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        NoiseXxDriver initiator = new NoiseXxDriver(true, true, vaults, s, new PeerCheck(null, BASE));
        byte[] message1 = initiator.start();
        initiator.destroy();
        vault.delete(s);
        assertThat(message1).hasSize(1 + 1216);
        for (int i = 0; i < ListenerWorker.MAX_PENDING_HANDSHAKES; i++) {
            toListener(message1);
        }
        Await.await("every pending handshake answered", Duration.ofSeconds(60),
                () -> answers.get() == ListenerWorker.MAX_PENDING_HANDSHAKES);
        int before = vault.size();
        int flood = 300;
        for (int i = 0; i < flood; i++) {
            toListener(message1);
        }
        // A classical message 1 is refused by this REQUIRED listener: its abort arrives after the flood was handled.
        toListener(ChannelFrame.handshake(new byte[32]));
        Await.await("the listener handled the flood", Duration.ofSeconds(30), () -> refusals.get() == 1);
        assertThat(answers).as("no handshake beyond the limit").hasValue(ListenerWorker.MAX_PENDING_HANDSHAKES);
        assertThat(vault.size()).as("vault entries after " + flood + " dropped first messages").isEqualTo(before);
    }

    private void toListener(byte[] frame) throws HopsealException {
        ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of("listener"), Route.of("sink"), frame)));
    }

    /**
     * {@code PostQuantum.REQUIRED}: "a listener refuses classical handshakes ... No downgrade is possible", and "a worker
     * that needs hybrid peers is behind a listener that requires it" (docs/post-quantum.md). A REQUIRED listener that
     * also lists X3DH (classical X25519) must not accept a classical X3DH channel, or refuse to start.
     */
    @Test
    void aListenerThatRequiresHybridAcceptsNoClassicalX3dhChannel() throws Exception {
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> SecureChannels.createListener(ctx, Address.of("listener"), vaults, null,
                BASE.withPostQuantum(PostQuantum.REQUIRED).withKeyAgreements(KeyAgreement.NOISE_XX, KeyAgreement.X3DH)))
                .hasMessageContaining("postQuantum REQUIRED takes Noise XX alone: X3DH has no hybrid post-quantum form");
        assertThat(SecureChannelRegistry.of(node).all()).isEmpty();
    }

    /** Nor does an initiator whose policy is REQUIRED open a classical X3DH channel: it is refused (UNSUPPORTED). */
    @Test
    void anInitiatorThatRequiresHybridOpensNoClassicalX3dhChannel() throws Exception {
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null,
                BASE.withKeyAgreements(KeyAgreement.NOISE_XX, KeyAgreement.X3DH));
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> SecureChannels.create(ctx, Route.of("listener"), vaults, null,
                BASE.withPostQuantum(PostQuantum.REQUIRED).withKeyAgreements(KeyAgreement.X3DH)))
                .hasMessageContaining("X3DH has no hybrid post-quantum form");
        assertThat(SecureChannelRegistry.of(node).all()).isEmpty();
    }

    /**
     * "Requires hybrid" in answer to a hybrid message 1 cannot come from a listener: it is a plain refusal, and neither
     * a REQUIRED nor a PREFERRED initiator treats it as anything else (no retry of any kind).
     */
    @Test
    void aReasonThatDoesNotFitWhatThisEndOfferedIsAPlainRefusal() throws Exception {
        SecureChannels.createListener(ctx, Address.of("listener"), vaults, null, BASE);
        List<Integer> types = new CopyOnWriteArrayList<>();
        ctx.startWorker("forger", LocalMessage.class, (c, msg) -> {
            LocalMessage m = msg.body().stepForward();
            types.add(Payloads.of(m.transportMessage())[0] & 0xFF);
            c.forward(new LocalMessage(TransportMessage.wrap(m.transportMessage().returnRoute(), Route.of("listener"),
                    ChannelFrame.abort(ChannelFrame.REQUIRES_HYBRID))));
        });
        for (PostQuantum policy : List.of(PostQuantum.REQUIRED, PostQuantum.PREFERRED)) {
            assertHopsealError(ErrorKind.UNTRUSTED, () -> SecureChannels.create(ctx, Route.of("forger", "listener"), vaults, null,
                    BASE.withPostQuantum(policy))).hasMessage("the peer refused the secure channel");
        }
        assertThat(types).containsExactly(ChannelFrame.HYBRID_HANDSHAKE, ChannelFrame.HYBRID_HANDSHAKE);
    }
}
