package org.hopseal.core.channel;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.core.channel.noise.CipherState;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of a secure channel as a state machine without I/O, as its handshakes ({@link HandshakeDriver}) and its
 * {@link ChannelReceiver} are: it takes what reaches the end (frames from the peer's path, error replies from it, the
 * ticks of its timers) and returns the {@link Action}s the end must take, in order: frames to send, the encryptor to
 * start, messages to deliver, control frames to ask of the encryptor, the peer's new attributes, failure, closing.
 * {@link DecryptorWorker} feeds it and performs what it returns; this class sends, routes and schedules nothing.
 *
 * <pre>
 *   HANDSHAKING --(keys agreed, responder: confirm sent)--&gt; OPEN
 *   HANDSHAKING --(keys agreed, initiator)--&gt; AWAITING_CONFIRM --(CONFIRM)--&gt; OPEN
 *   HANDSHAKING, AWAITING_CONFIRM --(abort, error reply, timeout, bad handshake frame)--&gt; CLOSED (failed)
 *   OPEN --(CLOSE, idle timeout, peer no longer trusted)--&gt; CLOSED
 * </pre>
 *
 * <p>Thread safety: not thread safe; driven by whichever thread holds its worker's turn.
 */
final class ChannelEnd {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelEnd.class);
    /** A peer can send credentials that fail: one line per interval for all channels of the JVM. */
    private static final RateLimitedLog REFUSED_CREDENTIALS = RateLimitedLog.warnings(LOG);
    /** How often an end checks its credential source while it presents nothing. */
    static final Duration CREDENTIAL_POLL = Duration.ofSeconds(1);
    /** The most often an end checks its credential source. */
    static final Duration MIN_CREDENTIAL_POLL = Duration.ofMillis(100);
    /** The longest an end goes without checking its credential source, so a change reaches open channels soon. */
    static final Duration MAX_CREDENTIAL_POLL = Duration.ofSeconds(10);

    /** Where the end is in its life. */
    enum State { HANDSHAKING, AWAITING_CONFIRM, OPEN, CLOSED }

    /** What the end must do, in the order returned. */
    sealed interface Action {
    }

    /** Send the initiator's first handshake frame to the listener. */
    record Greet(byte[] frame) implements Action {
    }

    /** Send {@code frame} to the peer, along {@link #remoteRoute()}. */
    record Send(byte[] frame) implements Action {
    }

    /** Tell the peer the handshake failed, along {@link #remoteRoute()}, if it can be sent (best effort). */
    record Abort(byte[] frame) implements Action {
    }

    /** The channel is open: start the encryptor with {@code sender}, and tell whoever waits for the channel. */
    record Open(CipherState sender) implements Action {
    }

    /** Deliver {@code message} (its return route through this end's encryptor) as a message from this channel. */
    record Deliver(TransportMessage message) implements Action {
    }

    /** Ask the encryptor to send the control frame {@code kind} ({@link Plaintext#PING} or {@link Plaintext#PONG}). */
    record Control(int kind) implements Action {
    }

    /** Ask the encryptor to present {@code credentials} to the peer. */
    record Present(List<Credential> credentials) implements Action {
    }

    /** The peer's attributes changed and the trust policy still accepts it: messages from now on carry the new ones. */
    record PeerChanged(VerifiedPeer peer) implements Action {
    }

    /** Check the credentials again after {@code after}, instead of when planned; empty: no check is due. */
    record CheckCredentials(Optional<Duration> after) implements Action {
    }

    /** The handshake (or the opening) failed with {@code cause}; a {@link Close} follows. */
    record Failed(HopsealException cause) implements Action {
    }

    /**
     * Stop the end: its encryptor too if {@code encryptorRunning}; {@code byPeer} if the peer closed it (so the
     * encryptor does not tell it); {@code why}, if present, is worth a warning.
     */
    record Close(boolean encryptorRunning, boolean byPeer, Optional<String> why) implements Action {
    }

    private final boolean initiator;
    private final HandshakeDriver driver;
    private final PeerCheck check;
    private final ChannelTimeouts timeouts;
    private final ChannelStats stats;
    private final ReassemblyBudget budget;
    private final Address encryptor;
    private final InstantSource clock;
    private final LongSupplier ticker;
    private State state = State.HANDSHAKING;
    private Route remoteRoute;
    /** Where this channel's frames enter the node: the origin of the first handshake frame it took. */
    private Origin carrier;
    private ChannelReceiver receiver;
    private VerifiedPeer peer;
    private CipherState sender;
    /** What this end presented last (in the handshake or a credentials frame). */
    private List<Credential> presented = List.of();
    /** When this end last authenticated a frame from its peer ({@link #ticker} time). */
    private long lastHeard;

    /**
     * An end of a channel whose encryptor is at {@code encryptor}; {@code clock} tells when credentials expire and
     * {@code ticker} (nanoseconds, as {@link System#nanoTime()}) how long the peer has been silent.
     */
    ChannelEnd(boolean initiator, HandshakeDriver driver, PeerCheck check, ChannelTimeouts timeouts, ChannelStats stats,
            ReassemblyBudget budget, Address encryptor, InstantSource clock, LongSupplier ticker) {
        this.initiator = initiator;
        this.driver = driver;
        this.check = check;
        this.timeouts = timeouts;
        this.stats = stats;
        this.budget = budget;
        this.encryptor = encryptor;
        this.clock = clock;
        this.ticker = ticker;
    }

    State state() {
        return state;
    }

    /** The route to the peer's decryptor: the return route of its first handshake frame; {@code null} before it. */
    Route remoteRoute() {
        return remoteRoute;
    }

    /** Where the channel's frames enter the node; {@code null} before the first handshake frame. */
    Origin carrier() {
        return carrier;
    }

    /** The verified peer; empty without identities or before the handshake authenticated it. */
    Optional<VerifiedPeer> peer() {
        return Optional.ofNullable(peer);
    }

    String protocol() {
        return driver.protocol();
    }

    /** Starts the handshake: an initiator greets the listener. */
    List<Action> start() throws HopsealException {
        // Read before the handshake presents it: if the source changes meanwhile, the newer one is sent once open.
        presented = check.credentials().current();
        byte[] first = driver.start();
        return first == null ? List.of() : List.of(new Greet(first));
    }

    /**
     * A frame from the path to the peer: {@code payload} with the {@code returnRoute} and {@code origin} it came
     * with. Throws what the receiver throws for a frame of the open channel (its vault failing).
     */
    List<Action> onFrame(byte[] payload, Route returnRoute, Origin origin) throws HopsealException {
        List<Action> actions = new ArrayList<>();
        ChannelFrame frame;
        try {
            frame = ChannelFrame.parse(payload);
        } catch (DecodeException e) {
            LOG.debug("channel {} dropped an undecodable frame: {}", encryptor, e.getMessage());
            if (state == State.HANDSHAKING) {
                fail(actions, new HandshakeException(ErrorKind.PROTOCOL, "malformed handshake frame: " + e.getMessage()), true);
            } else {
                stats.countTampered();
            }
            return actions;
        }
        switch (frame.type()) {
            case ChannelFrame.HANDSHAKE, ChannelFrame.X3DH, ChannelFrame.HYBRID_HANDSHAKE -> onHandshake(actions, frame, returnRoute, origin);
            case ChannelFrame.ABORT -> {
                if (isPending()) {
                    fail(actions, refusal(frame.abortReason()), false);
                }
            }
            default -> onData(actions, frame);
        }
        return actions;
    }

    /** An error reply from the path to the peer: unauthenticated, so it can only end a pending handshake. */
    List<Action> onRoutingError(HopsealException cause) {
        List<Action> actions = new ArrayList<>();
        if (!isPending()) {
            LOG.debug("channel {} ignored an error reply: {}", encryptor, LogText.of(cause.getMessage()));
            return actions;
        }
        fail(actions, cause, false);
        return actions;
    }

    /** The handshake timeout passed. */
    List<Action> onHandshakeTimeout() {
        List<Action> actions = new ArrayList<>();
        if (isPending()) {
            fail(actions, new HopsealTimeoutException("secure channel handshake", timeouts.handshake()), false);
        }
        return actions;
    }

    /** A tick of the idle timer: closes an end that heard nothing for the idle timeout; pings after a third of it. */
    List<Action> onIdleTick() {
        List<Action> actions = new ArrayList<>();
        if (state != State.OPEN) {
            return actions;
        }
        Duration silent = Duration.ofNanos(ticker.getAsLong() - lastHeard);
        if (silent.compareTo(timeouts.idle()) >= 0) {
            close(actions, false, "nothing heard from " + (peer == null ? "its peer" : peer.base().identifier()) + " for " + timeouts.idle());
        } else if (silent.compareTo(timeouts.idle().dividedBy(3)) >= 0) {
            actions.add(new Control(Plaintext.PING));
        }
        return actions;
    }

    /**
     * A tick of the credential timer: the peer's attributes end when they expire (unless refreshed), and what this
     * end presents is sent again whenever its source holds something else.
     */
    List<Action> onCredentialTick() {
        List<Action> actions = new ArrayList<>();
        if (state != State.OPEN) {
            return actions;
        }
        if (peer != null) {
            changePeer(actions, peer.at(clock.instant()), "its credentials expired");
        }
        if (state != State.OPEN) {
            return actions;
        }
        List<Credential> current = check.credentials().current();
        if (!current.equals(presented)) {
            presented = current;
            actions.add(new Present(current));
        }
        actions.add(nextCredentialCheck());
        return actions;
    }

    /**
     * Performing an action failed with {@code cause} (the encryptor could not start, a handshake frame could not be
     * sent): the end fails as a refused handshake does, telling the peer; nothing if it is closed already.
     */
    List<Action> onActionFailed(HopsealException cause) {
        List<Action> actions = new ArrayList<>();
        fail(actions, cause, true);
        return actions;
    }

    /** The worker is stopping (closed, or the node stops): whether the end was still running until now. */
    boolean stop() {
        boolean running = state != State.CLOSED;
        state = State.CLOSED;
        return running;
    }

    /** Destroys the keys it holds: the handshake's, the receiver's, and the sender's unless the encryptor took it. */
    void destroyKeys(boolean senderHandedOver) throws VaultException {
        driver.destroy();
        if (receiver != null) {
            receiver.destroy();
        }
        if (sender != null && !senderHandedOver) {
            sender.destroy();
        }
    }

    private boolean isPending() {
        return state == State.HANDSHAKING || state == State.AWAITING_CONFIRM;
    }

    /**
     * The error for a peer's abort, naming its reason when it gives one. A listener gives a reason only in answer to the
     * first message, so one that comes after the peer's first handshake message (an initiator awaiting the
     * confirmation, say) is forged, and read as a plain refusal: it must not make a PREFERRED initiator start again
     * classically after the listener has accepted the hybrid channel.
     */
    private HandshakeException refusal(int reason) {
        boolean answersTheFirstMessage = initiator && state == State.HANDSHAKING && remoteRoute == null;
        // A reason counts only where a listener gives it: to the first message, and about what this end offered.
        boolean offeredHybrid = driver.protocol().equals(NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256);
        int honoured = answersTheFirstMessage ? reason : 0;
        if (honoured == ChannelFrame.REQUIRES_HYBRID && !offeredHybrid) {
            return new HandshakeException(ErrorKind.UNSUPPORTED, "the listener requires a hybrid post-quantum channel (postQuantum"
                    + " REQUIRED) and this end offered " + driver.protocol() + " (postQuantum OFF, or a vault without ML-KEM-768)");
        }
        if (honoured == ChannelFrame.REFUSES_HYBRID && offeredHybrid) {
            return new HybridRefusedException(driver.protocol());
        }
        return new HandshakeException(ErrorKind.UNTRUSTED, "the peer refused the secure channel");
    }

    private void onHandshake(List<Action> actions, ChannelFrame frame, Route returnRoute, Origin origin) {
        if (state != State.HANDSHAKING) {
            LOG.debug("channel {} ignored a handshake message out of turn", encryptor);
            return;
        }
        try {
            if (remoteRoute == null) {
                remoteRoute = returnRoute;
            }
            if (carrier == null) {
                carrier = origin;
            }
            HandshakeDriver.Step step = driver.onFrame(frame);
            for (byte[] reply : step.replies()) {
                actions.add(new Send(reply));
            }
            HandshakeDriver.Established done = step.established();
            if (done == null) {
                return;
            }
            peer = done.peer();
            sender = done.sender();
            receiver = new ChannelReceiver(new ReceiveKeys(done.receiver()), new Reassembler(budget), stats, encryptor);
            if (initiator) {
                state = State.AWAITING_CONFIRM;
            } else {
                // Confirms to the initiator (nonce 0), then hands the sending key to the encryptor.
                long nonce = sender.nonce();
                byte[] confirm = sender.encryptWithAd(new byte[0], Plaintext.control(Plaintext.CONFIRM).toByteArray(),
                        ChannelFrame.DATA_HEADER);
                actions.add(new Send(ChannelFrame.data(confirm, nonce)));
                open(actions);
                LOG.debug("channel {} accepted {}", encryptor, peer == null ? "a peer" : peer.base().identifier());
            }
        } catch (HopsealException e) {
            fail(actions, e, true);
        }
    }

    private void open(List<Action> actions) {
        state = State.OPEN;
        lastHeard = ticker.getAsLong();
        actions.add(new Open(sender));
        actions.add(nextCredentialCheck());
    }

    private void onData(List<Action> actions, ChannelFrame frame) throws HopsealException {
        if (state == State.HANDSHAKING || state == State.CLOSED) {
            return;
        }
        ChannelReceiver.Received received = receiver.accept(frame);
        if (received instanceof ChannelReceiver.Received.Dropped) {
            return;
        }
        lastHeard = ticker.getAsLong();
        switch (received) {
            case ChannelReceiver.Received.Message m -> deliver(actions, m.bytes(), m.offset());
            case ChannelReceiver.Received.Control c -> onControl(actions, c.kind());
            case ChannelReceiver.Received.Credentials c -> onCredentials(actions, c.presented());
            default -> {
                // heard: a fragment or a malformed body, counted by the receiver
            }
        }
    }

    private void onControl(List<Action> actions, int kind) {
        switch (kind) {
            case Plaintext.CONFIRM -> {
                if (state == State.AWAITING_CONFIRM) {
                    open(actions);
                }
            }
            case Plaintext.CLOSE -> close(actions, true, null);
            case Plaintext.PING -> {
                if (state == State.OPEN) {
                    actions.add(new Control(Plaintext.PONG));
                }
            }
            default -> {
                // PONG: heard, nothing more
            }
        }
    }

    /** Credentials the peer presented over the open channel: they replace its attributes if they verify. */
    private void onCredentials(List<Action> actions, byte[] bytes) {
        if (state != State.OPEN || peer == null) {
            return;
        }
        PeerAttributes attributes;
        try {
            attributes = check.verifyRefresh(peer, PresentedCredentials.decode(bytes));
        } catch (HopsealException e) {
            REFUSED_CREDENTIALS.warn("channel {} kept its peer's attributes: the credentials {} presented were refused: {}", encryptor,
                    peer.base().identifier(), LogText.of(e.getMessage()));
            return;
        }
        changePeer(actions, peer.with(attributes), "its new credentials");
        if (state == State.OPEN) {
            actions.add(nextCredentialCheck());
        }
    }

    /**
     * Makes {@code next} the peer: closes the channel if the trust policy refuses it, else says its attributes
     * changed. Nothing happens if its attributes are what they were.
     */
    private void changePeer(List<Action> actions, VerifiedPeer next, String why) {
        if (next.attributes().equals(peer.attributes())) {
            return;
        }
        peer = next;
        if (!check.accepts(next)) {
            close(actions, false, "its trust policy no longer accepts " + next.base().identifier() + " with " + why);
            return;
        }
        LOG.debug("channel {}: {} has attributes {} ({})", encryptor, next.base().identifier(), next.attributes().values(), why);
        actions.add(new PeerChanged(next));
    }

    /**
     * When to check the credentials next: when the peer's attributes expire, and, for an end with a credential
     * source, a tenth of its shortest credential's lifetime (between {@link #MIN_CREDENTIAL_POLL} and
     * {@link #MAX_CREDENTIAL_POLL}; {@link #CREDENTIAL_POLL} while it presents nothing), so a renewed credential reaches
     * the peer well before the one it replaces expires.
     */
    private CheckCredentials nextCredentialCheck() {
        Instant now = clock.instant();
        Duration next = null;
        if (peer != null && peer.attributes().expires() != null) {
            next = Duration.between(now, peer.attributes().expires());
        }
        if (check.credentials() != CredentialSource.NONE) {
            Duration poll = presented.isEmpty() ? CREDENTIAL_POLL : presented.stream()
                    .map(c -> Duration.between(c.issuedAt(), c.expiresAt()).dividedBy(10))
                    .min(Comparator.naturalOrder()).orElseThrow();
            poll = poll.compareTo(MIN_CREDENTIAL_POLL) < 0 ? MIN_CREDENTIAL_POLL : poll;
            poll = poll.compareTo(MAX_CREDENTIAL_POLL) > 0 ? MAX_CREDENTIAL_POLL : poll;
            next = next == null || poll.compareTo(next) < 0 ? poll : next;
        }
        return new CheckCredentials(Optional.ofNullable(next).map(d -> d.isNegative() ? Duration.ZERO : d));
    }

    /**
     * Decodes the transport message in {@code bytes} from {@code offset} to the end and delivers it, its return route
     * through this end's encryptor so replies re-enter the channel. Its payload stays where it lies in {@code bytes}
     * (a plaintext this end decrypted or reassembled, which nothing else refers to).
     */
    private void deliver(List<Action> actions, byte[] bytes, int offset) {
        if (state != State.OPEN) {
            return;
        }
        TransportMessage inner;
        try {
            inner = Payloads.decodeSharing(bytes, offset, bytes.length - offset);
        } catch (DecodeException e) {
            stats.countTampered();
            LOG.debug("channel {} dropped an authenticated but undecodable message: {}", encryptor, e.getMessage());
            return;
        }
        stats.countDelivered();
        actions.add(new Deliver(inner.withReturnRoute(inner.returnRoute().prepend(encryptor))));
    }

    private void fail(List<Action> actions, HopsealException cause, boolean tellPeer) {
        if (state == State.CLOSED) {
            return;
        }
        if (tellPeer && remoteRoute != null) {
            actions.add(new Abort(ChannelFrame.abort()));
        }
        actions.add(new Failed(cause));
        close(actions, false, null);
    }

    private void close(List<Action> actions, boolean byPeer, String why) {
        if (state == State.CLOSED) {
            return;
        }
        boolean encryptorRunning = state == State.OPEN;
        state = State.CLOSED;
        actions.add(new Close(encryptorRunning, byPeer, Optional.ofNullable(why)));
    }
}
