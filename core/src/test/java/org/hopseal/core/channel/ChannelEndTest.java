package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.wire.Payloads;
import org.hopseal.core.channel.ChannelEnd.Abort;
import org.hopseal.core.channel.ChannelEnd.Action;
import org.hopseal.core.channel.ChannelEnd.CheckCredentials;
import org.hopseal.core.channel.ChannelEnd.Close;
import org.hopseal.core.channel.ChannelEnd.Control;
import org.hopseal.core.channel.ChannelEnd.Deliver;
import org.hopseal.core.channel.ChannelEnd.Failed;
import org.hopseal.core.channel.ChannelEnd.Greet;
import org.hopseal.core.channel.ChannelEnd.Open;
import org.hopseal.core.channel.ChannelEnd.PeerChanged;
import org.hopseal.core.channel.ChannelEnd.Send;
import org.hopseal.core.channel.ChannelEnd.State;
import org.hopseal.core.channel.noise.CipherState;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A channel end's state machine on its own, without a node, workers or threads: a scripted handshake, a clock and a
 * ticker the test moves, frames made with the keys the script agrees on. Every transition, and every refusal.
 */
class ChannelEndTest {
    private static final Address ENCRYPTOR = Address.of("enc");
    private static final Route PEER = Route.of("conn", "peer-decryptor");
    private static final Origin CARRIER = new Origin.Transport(Address.of("1#10.0.0.9:4000"), true);
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final Duration HANDSHAKE = Duration.ofSeconds(10);
    private static final byte[] REPLY = {42};
    private static final PeerIdentity ALICE = new PeerIdentity(new Identifier("I" + "a".repeat(64)), new PublicKey(KeyType.ED25519, new byte[32]));
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private final SoftwareVault vault = new SoftwareVault();
    private final ChannelStats stats = new ChannelStats();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final InstantSource clock = now::get;
    /** What the scripted handshake says the peer proved; {@code null}: no identities. */
    private VerifiedPeer handshakePeer;
    /** What the scripted handshake throws on its next frame, if anything. */
    private HopsealException handshakeFailure;
    /** What credentials presented over the channel vouch for, or the refusal. */
    private PeerAttributes refreshed = PeerAttributes.NONE;
    private HopsealException refreshFailure;
    private boolean trustNeedsRole;
    private CipherState endSender;
    private CipherState endReceiving;
    private CipherState peerSender;
    private ChannelReceiver peerReceiver;
    /** The protocol the scripted handshake names: classical unless a test offers the hybrid one. */
    private String protocol = "Noise_XX_25519_AESGCM_SHA256";
    private boolean handshakeDestroyed;
    private CredentialSource credentials = CredentialSource.NONE;

    @BeforeEach
    void agreeOnKeys() throws Exception {
        SecretHandle out = vault.importSecret(new byte[32]);
        byte[] in = new byte[32];
        in[0] = 1;
        SecretHandle back = vault.importSecret(in);
        endSender = key(out);
        peerReceiver = new ChannelReceiver(new ReceiveKeys(key(out)), new Reassembler(new ReassemblyBudget(1 << 20)), new ChannelStats(), "peer");
        endReceiving = key(back);
        peerSender = key(back);
        vault.delete(out);
        vault.delete(back);
    }

    @AfterEach
    void close() throws Exception {
        peerSender.destroy();
        peerReceiver.destroy();
        vault.close();
    }

    private CipherState key(SecretHandle secret) throws Exception {
        return CipherState.withKey(vault, AeadAlgorithm.AES_256_GCM, vault.toAeadKey(secret, AeadAlgorithm.AES_256_GCM));
    }

    /** A handshake of one frame each way: the end's start greets (initiator), its first frame agrees on the keys. */
    private final class ScriptedHandshake implements HandshakeDriver {
        private final boolean initiator;

        ScriptedHandshake(boolean initiator) {
            this.initiator = initiator;
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public byte[] start() {
            return initiator ? ChannelFrame.handshake(new byte[] {1}) : null;
        }

        @Override
        public Step onFrame(ChannelFrame frame) throws HopsealException {
            if (handshakeFailure != null) {
                throw handshakeFailure;
            }
            return new Step(initiator ? List.of() : List.of(REPLY), new Established(endSender, endReceiving, handshakePeer));
        }

        @Override
        public void destroy() {
            handshakeDestroyed = true;
        }
    }

    private final ChannelAuthenticator authenticator = new ChannelAuthenticator() {
        @Override
        public AgreementKeyHandle staticKey() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] identityPayload(byte[] binding, boolean asInitiator, List<Credential> credentials) {
            throw new UnsupportedOperationException();
        }

        @Override
        public VerifiedPeer verifyPeer(byte[] payload, byte[] binding, PublicKey remoteStatic, boolean peerIsInitiator,
                int maxIdentityChanges, Set<Identifier> authorities) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PeerAttributes verifyCredentials(PeerIdentity peer, List<byte[]> credentials, Set<Identifier> authorities)
                throws HopsealException {
            if (refreshFailure != null) {
                throw refreshFailure;
            }
            return refreshed;
        }
    };

    private ChannelEnd end(boolean initiator) {
        PeerCheck check = new PeerCheck(authenticator, p -> !trustNeedsRole || p.attributes().containsKey("role"), 8, Set.of(),
                credentials);
        return new ChannelEnd(initiator, new ScriptedHandshake(initiator), check, new ChannelTimeouts(HANDSHAKE, IDLE), stats,
                new ReassemblyBudget(1 << 20), ENCRYPTOR, clock, nanos::get);
    }

    private static List<Action> handshake(ChannelEnd end) throws HopsealException {
        return end.onFrame(ChannelFrame.handshake(new byte[] {2}), PEER, CARRIER);
    }

    /** A responder whose handshake completed: open. */
    private ChannelEnd openResponder() throws HopsealException {
        ChannelEnd end = end(false);
        assertThat(end.start()).isEmpty();
        handshake(end);
        assertThat(end.state()).isEqualTo(State.OPEN);
        return end;
    }

    /** A data frame from the peer carrying {@code plaintext}. */
    private byte[] fromPeer(Plaintext.Parts plaintext) throws HopsealException {
        long nonce = peerSender.nonce();
        return ChannelFrame.data(peerSender.encryptWithAd(new byte[0], plaintext.toByteArray(), ChannelFrame.DATA_HEADER), nonce);
    }

    private byte[] control(int kind) throws HopsealException {
        return fromPeer(Plaintext.control(kind));
    }

    private byte[] message(String to) throws HopsealException {
        return fromPeer(Plaintext.message(TransportMessage.wrap(Route.of(to), Route.of("sender"), new byte[] {7})));
    }

    private List<Action> feed(ChannelEnd end, byte[] payload) throws HopsealException {
        return end.onFrame(payload, PEER, CARRIER);
    }

    private static HopsealException failure(List<Action> actions) {
        return actions.stream().filter(Failed.class::isInstance).map(a -> ((Failed) a).cause()).findFirst().orElseThrow();
    }

    private static final Close CLOSED_BEFORE_OPEN = new Close(false, false, Optional.empty());

    @Test
    void anInitiatorGreetsTheListenerAndAResponderWaitsForTheFirstFrame() throws Exception {
        assertThat(end(true).start()).singleElement().isInstanceOfSatisfying(Greet.class,
                g -> assertThat(g.frame()).containsExactly(ChannelFrame.handshake(new byte[] {1})));
        assertThat(end(false).start()).isEmpty();
    }

    @Test
    void aResponderRepliesConfirmsAtNonceZeroAndOpensWhenTheKeysAreAgreed() throws Exception {
        ChannelEnd end = end(false);
        List<Action> actions = handshake(end);

        assertThat(actions).hasSize(4);
        assertThat(((Send) actions.get(0)).frame()).isEqualTo(REPLY);
        ChannelFrame confirm = ChannelFrame.parse(((Send) actions.get(1)).frame());
        assertThat(confirm.nonce()).isZero();
        assertThat(peerReceiver.accept(confirm)).isEqualTo(new ChannelReceiver.Received.Control(Plaintext.CONFIRM));
        assertThat(actions.get(2)).isEqualTo(new Open(endSender));
        assertThat(actions.get(3)).isEqualTo(new CheckCredentials(Optional.empty()));
        assertThat(end.state()).isEqualTo(State.OPEN);
        assertThat(end.remoteRoute()).isEqualTo(PEER);
        assertThat(end.carrier()).isEqualTo(CARRIER);
    }

    @Test
    void anInitiatorAwaitsTheConfirmationDeliversNothingBeforeItAndOpensOnIt() throws Exception {
        ChannelEnd end = end(true);
        end.start();
        assertThat(handshake(end)).isEmpty();
        assertThat(end.state()).isEqualTo(State.AWAITING_CONFIRM);
        assertThat(feed(end, message("early"))).as("a message before the confirmation").isEmpty();
        assertThat(feed(end, control(Plaintext.PING))).as("a ping before the confirmation").isEmpty();

        assertThat(feed(end, control(Plaintext.CONFIRM))).containsExactly(new Open(endSender), new CheckCredentials(Optional.empty()));
        assertThat(end.state()).isEqualTo(State.OPEN);
        assertThat(feed(end, control(Plaintext.CONFIRM))).as("a second confirmation").isEmpty();
    }

    @Test
    void anOpenEndDeliversWithItsEncryptorPrependedToTheReturnRouteAndCountsIt() throws Exception {
        ChannelEnd end = openResponder();
        List<Action> actions = feed(end, message("echoer"));
        assertThat(actions).singleElement().isInstanceOfSatisfying(Deliver.class, d -> {
            assertThat(d.message().onwardRoute()).isEqualTo(Route.of("echoer"));
            assertThat(d.message().returnRoute()).isEqualTo(Route.of(ENCRYPTOR, Address.of("sender")));
            assertThat(d.message().payload()).containsExactly(7);
            // Not copied out of the decrypted plaintext, which holds the kind byte and the routes before it.
            ByteBuffer payload = Payloads.view(d.message());
            assertThat(payload.array().length).isGreaterThan(payload.remaining());
            assertThat(payload.limit()).isEqualTo(payload.array().length);
        });
        assertThat(stats.delivered()).isEqualTo(1);
    }

    @Test
    void aHandshakeThatTimesOutFailsWithoutTellingThePeerAndATimeoutAfterOpeningDoesNothing() throws Exception {
        ChannelEnd end = end(true);
        end.start();
        List<Action> actions = end.onHandshakeTimeout();
        assertThat(actions).hasSize(2).last().isEqualTo(CLOSED_BEFORE_OPEN);
        assertThat(failure(actions)).isInstanceOf(HopsealTimeoutException.class).hasMessageContaining("secure channel handshake");
        assertThat(end.state()).isEqualTo(State.CLOSED);
        assertThat(end.onHandshakeTimeout()).as("once closed").isEmpty();

        ChannelEnd awaiting = end(true);
        handshake(awaiting);
        assertThat(failure(awaiting.onHandshakeTimeout())).isInstanceOf(HopsealTimeoutException.class);

        assertThat(openResponder().onHandshakeTimeout()).isEmpty();
    }

    @Test
    void anAbortEndsAPendingHandshakeAsARefusalAndIsIgnoredOnceOpen() throws Exception {
        ChannelEnd end = end(false);
        List<Action> actions = feed(end, ChannelFrame.abort());
        assertThat(actions).noneMatch(Abort.class::isInstance).last().isEqualTo(CLOSED_BEFORE_OPEN);
        assertThat(failure(actions)).isInstanceOf(HandshakeException.class).hasMessage("the peer refused the secure channel")
                .extracting(e -> ((HopsealException) e).kind()).isEqualTo(ErrorKind.UNTRUSTED);

        ChannelEnd awaiting = end(true);
        handshake(awaiting);
        assertThat(failure(feed(awaiting, ChannelFrame.abort()))).hasMessage("the peer refused the secure channel");

        ChannelEnd open = openResponder();
        assertThat(feed(open, ChannelFrame.abort())).isEmpty();
        assertThat(open.state()).isEqualTo(State.OPEN);
    }

    @Test
    void anAbortsReasonCountsOnlyInAnswerToTheInitiatorsFirstMessage() throws Exception {
        ChannelEnd first = end(true);
        first.start();
        assertThat(failure(feed(first, ChannelFrame.abort(ChannelFrame.REQUIRES_HYBRID)))).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("the listener requires a hybrid post-quantum channel")
                .extracting(e -> ((HopsealException) e).kind()).isEqualTo(ErrorKind.UNSUPPORTED);

        ChannelEnd later = end(true);
        handshake(later);
        assertThat(failure(feed(later, ChannelFrame.abort(ChannelFrame.REQUIRES_HYBRID)))).as("forged: after the first message")
                .hasMessage("the peer refused the secure channel");

        ChannelEnd responder = end(false);
        assertThat(failure(feed(responder, ChannelFrame.abort(ChannelFrame.REQUIRES_HYBRID)))).as("a responder is not an initiator")
                .hasMessage("the peer refused the secure channel");
    }

    @Test
    void aHandshakeTheDriverRefusesIsAbortedToThePeer() throws Exception {
        handshakeFailure = new IdentityException(ErrorKind.UNTRUSTED, "the trust policy refused peer");
        ChannelEnd end = end(false);
        List<Action> actions = handshake(end);
        assertThat(actions).hasSize(3);
        assertThat(((Abort) actions.get(0)).frame()).isEqualTo(ChannelFrame.abort());
        assertThat(actions.get(1)).isEqualTo(new Failed(handshakeFailure));
        assertThat(actions.get(2)).isEqualTo(CLOSED_BEFORE_OPEN);
        assertThat(end.remoteRoute()).as("where the abort goes").isEqualTo(PEER);
    }

    @Test
    void aMalformedFrameFailsAHandshakeButIsOnlyCountedOnAnOpenChannel() throws Exception {
        ChannelEnd handshaking = end(true);
        handshaking.start();
        List<Action> actions = feed(handshaking, new byte[0]);
        assertThat(failure(actions)).isInstanceOf(HandshakeException.class).hasMessageStartingWith("malformed handshake frame")
                .extracting(e -> ((HopsealException) e).kind()).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(actions).as("no route to the peer yet: nothing to abort to").noneMatch(Abort.class::isInstance);

        ChannelEnd open = openResponder();
        assertThat(feed(open, new byte[0])).isEmpty();
        assertThat(stats.tampered()).isEqualTo(1);
        assertThat(open.state()).isEqualTo(State.OPEN);
    }

    @Test
    void framesOutOfTurnAreIgnoredInEachState() throws Exception {
        ChannelEnd handshaking = end(false);
        assertThat(feed(handshaking, message("early"))).as("data while handshaking").isEmpty();
        assertThat(feed(handshaking, control(Plaintext.CLOSE))).as("close while handshaking").isEmpty();
        assertThat(handshaking.state()).isEqualTo(State.HANDSHAKING);

        ChannelEnd awaiting = end(true);
        handshake(awaiting);
        assertThat(handshake(awaiting)).as("a handshake frame while awaiting the confirmation").isEmpty();
        assertThat(awaiting.state()).isEqualTo(State.AWAITING_CONFIRM);

        ChannelEnd open = openResponder();
        assertThat(handshake(open)).as("a handshake frame once open").isEmpty();

        ChannelEnd closed = openResponder();
        closed.onFrame(control(Plaintext.CLOSE), PEER, CARRIER);
        assertThat(feed(closed, message("late"))).as("data once closed").isEmpty();
        assertThat(handshake(closed)).isEmpty();
        assertThat(feed(closed, ChannelFrame.abort())).isEmpty();
        assertThat(closed.onIdleTick()).isEmpty();
        assertThat(closed.onCredentialTick()).isEmpty();
        assertThat(closed.onActionFailed(new RoutingException(ErrorKind.UNAVAILABLE, "gone"))).isEmpty();
    }

    @Test
    void anErrorReplyEndsOnlyAPendingHandshakeAndTellsThePeerNothing() throws Exception {
        RoutingException cause = new RoutingException(ErrorKind.NOT_FOUND, "no worker at address listener");
        ChannelEnd pending = end(true);
        pending.start();
        assertThat(pending.onRoutingError(cause)).containsExactly(new Failed(cause), CLOSED_BEFORE_OPEN);

        ChannelEnd open = openResponder();
        assertThat(open.onRoutingError(cause)).isEmpty();
        assertThat(open.state()).isEqualTo(State.OPEN);
    }

    @Test
    void thePeerClosingStopsTheEncryptorWithoutTellingThePeerBack() throws Exception {
        ChannelEnd end = openResponder();
        assertThat(feed(end, control(Plaintext.CLOSE))).containsExactly(new Close(true, true, Optional.empty()));
        assertThat(end.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aPingIsAnsweredAndAPongIsOnlyHeard() throws Exception {
        ChannelEnd end = openResponder();
        assertThat(feed(end, control(Plaintext.PING))).containsExactly(new Control(Plaintext.PONG));
        assertThat(feed(end, control(Plaintext.PONG))).isEmpty();
    }

    @Test
    void anIdleEndPingsAfterAThirdOfTheIdleTimeoutAndClosesAfterAllOfIt() throws Exception {
        ChannelEnd end = openResponder();
        nanos.addAndGet(IDLE.dividedBy(3).toNanos() - 1);
        assertThat(end.onIdleTick()).isEmpty();
        nanos.addAndGet(1);
        assertThat(end.onIdleTick()).containsExactly(new Control(Plaintext.PING));
        // Hearing the peer starts the silence again.
        feed(end, control(Plaintext.PONG));
        nanos.addAndGet(IDLE.toNanos() - 1);
        assertThat(end.onIdleTick()).containsExactly(new Control(Plaintext.PING));
        nanos.addAndGet(1);
        assertThat(end.onIdleTick()).containsExactly(new Close(true, false, Optional.of("nothing heard from its peer for PT30S")));
        assertThat(end.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aPendingEndHasNoIdleTimeout() throws Exception {
        ChannelEnd awaiting = end(true);
        handshake(awaiting);
        nanos.addAndGet(IDLE.toNanos() * 2);
        assertThat(awaiting.onIdleTick()).isEmpty();
    }

    private ChannelEnd openWithPeer(PeerAttributes attributes) throws HopsealException {
        handshakePeer = new VerifiedPeer(ALICE, attributes);
        ChannelEnd end = end(false);
        List<Action> actions = handshake(end);
        assertThat(actions).last().isEqualTo(new CheckCredentials(Optional.ofNullable(attributes.expires()).map(e -> Duration.between(T0, e))));
        return end;
    }

    @Test
    void expiredCredentialsTakeThePeersAttributesAndATrustPolicyThatNeededThemClosesTheChannel() throws Exception {
        PeerAttributes role = new PeerAttributes(Map.of("role", "web"), T0.plusSeconds(60));
        ChannelEnd accepting = openWithPeer(role);
        now.set(T0.plusSeconds(59));
        assertThat(accepting.onCredentialTick()).as("not yet expired").containsExactly(new CheckCredentials(Optional.of(Duration.ofSeconds(1))));
        now.set(T0.plusSeconds(60));
        assertThat(accepting.onCredentialTick()).containsExactly(new PeerChanged(new VerifiedPeer(ALICE, PeerAttributes.NONE)),
                new CheckCredentials(Optional.empty()));
        assertThat(accepting.peer()).contains(new VerifiedPeer(ALICE, PeerAttributes.NONE));

        trustNeedsRole = true;
        now.set(T0);
        ChannelEnd refusing = openWithPeer(role);
        now.set(T0.plusSeconds(61));
        assertThat(refusing.onCredentialTick()).containsExactly(new Close(true, false,
                Optional.of("its trust policy no longer accepts " + ALICE.identifier() + " with its credentials expired")));
        assertThat(refusing.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void credentialsPresentedOverTheChannelChangeThePeerOrAreRefusedAndChangeNothing() throws Exception {
        ChannelEnd end = openWithPeer(PeerAttributes.NONE);
        byte[] presented = fromPeer(Plaintext.credentials(PresentedCredentials.encode(List.of())));
        refreshed = new PeerAttributes(Map.of("role", "db"), T0.plusSeconds(30));
        assertThat(feed(end, presented)).containsExactly(new PeerChanged(new VerifiedPeer(ALICE, refreshed)),
                new CheckCredentials(Optional.of(Duration.ofSeconds(30))));
        assertThat(feed(end, fromPeer(Plaintext.credentials(PresentedCredentials.encode(List.of()))))).as("the same attributes again")
                .containsExactly(new CheckCredentials(Optional.of(Duration.ofSeconds(30))));

        refreshFailure = new IdentityException(ErrorKind.UNTRUSTED, "not from a trusted authority");
        assertThat(feed(end, fromPeer(Plaintext.credentials(PresentedCredentials.encode(List.of()))))).isEmpty();
        assertThat(end.peer()).contains(new VerifiedPeer(ALICE, refreshed));

        refreshFailure = null;
        trustNeedsRole = true;
        refreshed = PeerAttributes.NONE;
        assertThat(feed(end, fromPeer(Plaintext.credentials(PresentedCredentials.encode(List.of()))))).containsExactly(new Close(true, false,
                Optional.of("its trust policy no longer accepts " + ALICE.identifier() + " with its new credentials")));
    }

    @Test
    void credentialsFromAPeerWithoutIdentityChangeNothing() throws Exception {
        ChannelEnd end = openResponder();
        refreshed = new PeerAttributes(Map.of("role", "db"), T0.plusSeconds(30));
        assertThat(feed(end, fromPeer(Plaintext.credentials(PresentedCredentials.encode(List.of()))))).isEmpty();
        assertThat(end.peer()).isEmpty();
    }

    @Test
    void anActionThatFailsOnAnOpenEndAbortsToThePeerAndStopsTheEncryptor() throws Exception {
        ChannelEnd end = openResponder();
        RoutingException cause = new RoutingException(ErrorKind.UNAVAILABLE, "connection lost");
        List<Action> actions = end.onActionFailed(cause);
        assertThat(actions).hasSize(3);
        assertThat(actions.get(0)).isInstanceOf(Abort.class);
        assertThat(actions.get(1)).isEqualTo(new Failed(cause));
        assertThat(actions.get(2)).isEqualTo(new Close(true, false, Optional.empty()));
    }

    @Test
    void stoppingSaysWhetherTheEndWasStillRunningOnce() throws Exception {
        ChannelEnd end = openResponder();
        assertThat(end.stop()).isTrue();
        assertThat(end.stop()).isFalse();
        assertThat(end.state()).isEqualTo(State.CLOSED);
        end.destroyKeys(true);
    }

    @Test
    void aListenerThatRefusesHybridChannelsMakesAHybridInitiatorFailSoItCanStartAgainClassically() throws Exception {
        protocol = NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256;
        ChannelEnd hybrid = end(true);
        hybrid.start();
        assertThat(hybrid.protocol()).isEqualTo(protocol);
        assertThat(failure(feed(hybrid, ChannelFrame.abort(ChannelFrame.REFUSES_HYBRID)))).isInstanceOf(HybridRefusedException.class);

        ChannelEnd offeredHybrid = end(true);
        offeredHybrid.start();
        assertThat(failure(feed(offeredHybrid, ChannelFrame.abort(ChannelFrame.REQUIRES_HYBRID)))).as("it offered what is required")
                .isNotInstanceOf(HybridRefusedException.class).hasMessage("the peer refused the secure channel");

        protocol = "Noise_XX_25519_AESGCM_SHA256";
        ChannelEnd classical = end(true);
        classical.start();
        assertThat(failure(feed(classical, ChannelFrame.abort(ChannelFrame.REFUSES_HYBRID)))).as("it offered no hybrid channel")
                .isNotInstanceOf(HybridRefusedException.class).hasMessage("the peer refused the secure channel");
    }

    @Test
    void anAuthenticatedMessageThatDoesNotDecodeIsCountedAsTamperedAndNotDelivered() throws Exception {
        ChannelEnd end = openResponder();
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThat(feed(end, fromPeer(new Plaintext.Parts(new byte[] {Plaintext.MESSAGE}, garbage, 0, garbage.length)))).isEmpty();
        assertThat(stats.tampered()).isEqualTo(1);
        assertThat(stats.delivered()).isZero();
    }

    @Test
    void anEndWithACredentialSourceChecksItEverySecondWhilePresentingNothingOrSoonerWhenThePeersAttributesExpire() throws Exception {
        credentials = List::of;
        ChannelEnd polling = openWithPeerExpecting(PeerAttributes.NONE, Duration.ofSeconds(1));
        now.set(T0.plusSeconds(1));
        assertThat(polling.onCredentialTick()).containsExactly(new CheckCredentials(Optional.of(Duration.ofSeconds(1))));

        now.set(T0);
        openWithPeerExpecting(new PeerAttributes(Map.of("role", "web"), T0.plusMillis(400)), Duration.ofMillis(400));
        openWithPeerExpecting(new PeerAttributes(Map.of("role", "web"), T0.plusMillis(1000)), Duration.ofSeconds(1));
        openWithPeerExpecting(new PeerAttributes(Map.of("role", "web"), T0.minusMillis(1)), Duration.ZERO);
    }

    private ChannelEnd openWithPeerExpecting(PeerAttributes attributes, Duration firstCheck) throws HopsealException {
        handshakePeer = new VerifiedPeer(ALICE, attributes);
        ChannelEnd end = end(false);
        end.start();
        assertThat(handshake(end)).last().isEqualTo(new CheckCredentials(Optional.of(firstCheck)));
        return end;
    }

    @Test
    void destroyingTheKeysLeavesTheSenderToTheEncryptorThatTookIt() throws Exception {
        int before = vault.size();
        ChannelEnd handedOver = openResponder();
        assertThat(vault.size()).isEqualTo(before);
        handedOver.destroyKeys(true);
        assertThat(handshakeDestroyed).isTrue();
        assertThat(vault.size()).as("the receiver's key is gone, the sender's kept").isEqualTo(before - 1);

        SecretHandle secret = vault.importSecret(new byte[32]);
        endSender = key(secret);
        endReceiving = key(secret);
        vault.delete(secret);
        int withFreshKeys = vault.size();
        ChannelEnd notHandedOver = end(true);
        handshake(notHandedOver);
        notHandedOver.destroyKeys(false);
        assertThat(vault.size()).as("the sender's key is gone too").isEqualTo(withFreshKeys - 2);
    }

    @Test
    void anEndThatNeverAgreedOnKeysDestroysOnlyTheHandshake() throws Exception {
        int before = vault.size();
        ChannelEnd end = end(true);
        end.start();
        end.destroyKeys(false);
        assertThat(handshakeDestroyed).isTrue();
        assertThat(vault.size()).isEqualTo(before);
    }
}
