package org.hopseal.core.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.channel.noise.CipherState;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.Timers;
import org.hopseal.core.node.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ciphertext side of a channel end. While handshaking it carries the frames of a {@link HandshakeDriver} (Noise
 * XX or X3DH, state machines without I/O), which authenticate the peer and apply the trust policy; once open, its
 * {@link ChannelReceiver} (also without I/O) checks and decrypts data frames, and this worker forwards each message
 * with its own encryptor prepended to the return route, so replies re-enter the channel. Each message it delivers carries an
 * {@link Origin.Channel} (the listener that accepted the channel or the address that opened it, the verified peer,
 * and where the channel's own frames enter the node), and goes only where that origin is admitted.
 *
 * <p>It takes frames only from its route's first hop (the connection or channel its peer is behind) and from local
 * code ({@link #exposure}). An error reply from that hop ends a pending handshake at once.
 *
 * <p>Failures close the handshake on both sides: the side that refuses sends an abort, the initiator's caller gets
 * the error, and every worker of the attempt stops. A handshake that does not finish in time stops too.
 */
final class DecryptorWorker implements Worker<LocalMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptorWorker.class);
    /** Any peer can make handshakes fail: one line per interval for all responders of the JVM. */
    private static final RateLimitedLog FAILED_HANDSHAKES = RateLimitedLog.warnings(LOG);
    private static final String TIMER_KEY = "hopseal.internal.handshake-timer";
    private static final String IDLE_KEY = "hopseal.internal.idle-tick";
    private static final String CREDENTIAL_KEY = "hopseal.internal.credential-tick";
    /** How often an end checks its credential source while it presents nothing. */
    private static final Duration CREDENTIAL_POLL = Duration.ofSeconds(1);
    /** The most often an end checks its credential source. */
    private static final Duration MIN_CREDENTIAL_POLL = Duration.ofMillis(100);
    /** The longest an end goes without checking its credential source, so a change reaches open channels soon. */
    private static final Duration MAX_CREDENTIAL_POLL = Duration.ofSeconds(10);
    /** A peer can send credentials that fail: one line per interval for all channels of the JVM. */
    private static final RateLimitedLog REFUSED_CREDENTIALS = RateLimitedLog.warnings(LOG);

    private enum State { HANDSHAKING, AWAITING_CONFIRM, OPEN, CLOSED }

    private final boolean initiator;
    private final Vaults vaults;
    private final HandshakeDriver driver;
    private final PeerCheck check;
    private final AgreementKeyHandle ownedStaticKey;
    private final ChannelTimeouts timeouts;
    private final Address encryptor;
    private final Route listenerRoute;
    private final CompletableFuture<ChannelInfo> completion;
    private final Runnable onHandshakeEnd;
    private final String timerToken = Address.random().toString();
    /** Created with the node's meters when the end starts. */
    private ChannelStats stats;
    private NodeMetrics metrics;
    private final Address listener;
    private final Address opener;
    private final AtomicBoolean peerClosed = new AtomicBoolean();
    private State state = State.HANDSHAKING;
    private Route remoteRoute;
    private ChannelReceiver receiver;
    private VerifiedPeer peer;
    /** What this end presented last (in the handshake or a credentials frame). */
    private List<Credential> presented = List.of();
    private Timers.Timer credentialTimer;
    /** The origin given out before the current one (kept until the next change, for messages still queued). */
    private Origin.Channel previousOrigin;
    private Context ctx;
    private CipherState sender;
    /** Where this channel's frames enter the node: the origin of the first handshake frame it took. */
    private Origin carrier;
    private Origin.Channel deliveredOrigin;

    private DecryptorWorker(boolean initiator, Vaults vaults, HandshakeDriver driver, PeerCheck check, AgreementKeyHandle ownedStaticKey,
            ChannelTimeouts timeouts, Address encryptor, Route listenerRoute, CompletableFuture<ChannelInfo> completion,
            Runnable onHandshakeEnd, Address listener, Address opener) {
        this.initiator = initiator;
        this.listener = listener;
        this.opener = opener;
        this.vaults = vaults;
        this.driver = driver;
        this.check = check;
        this.ownedStaticKey = ownedStaticKey;
        this.timeouts = timeouts;
        this.encryptor = encryptor;
        this.listenerRoute = listenerRoute;
        this.completion = completion;
        this.onHandshakeEnd = onHandshakeEnd;
    }

    /**
     * The initiating end, opened by code at {@code opener} (null for a channel that carries what its peer sends to this
     * node's listeners, which reaches no code as its opener's); {@code ownedStaticKey}, if not null, is deleted when
     * the end stops.
     */
    static DecryptorWorker initiator(Vaults vaults, HandshakeDriver driver, PeerCheck check, AgreementKeyHandle ownedStaticKey,
            ChannelTimeouts timeouts, Address encryptor, Route listenerRoute, CompletableFuture<ChannelInfo> completion, Address opener) {
        return new DecryptorWorker(true, vaults, driver, check, ownedStaticKey, timeouts, encryptor, listenerRoute, completion, () -> { },
                null, opener);
    }

    /** A responding end that the listener at {@code listener} started. */
    static DecryptorWorker responder(Vaults vaults, HandshakeDriver driver, PeerCheck check, ChannelTimeouts timeouts, Address encryptor,
            Runnable onHandshakeEnd, Address listener) {
        return new DecryptorWorker(false, vaults, driver, check, null, timeouts, encryptor, null, new CompletableFuture<>(), onHandshakeEnd,
                listener, null);
    }

    /**
     * How a decryptor whose peer is behind {@code firstHop} (a connection, or the end of a channel that carries this
     * one) is started: dedicated to that peer, reachable only through that hop and by local code.
     */
    static WorkerOptions options(Address firstHop) {
        return new WorkerOptions(Exposure.through(firstHop), AccessControl.allowAll(), Integer.MAX_VALUE, true, true);
    }

    @Override
    public void initialize(Context ctx) throws HopsealException {
        this.ctx = ctx;
        this.metrics = Node.of(ctx).metrics();
        this.stats = new ChannelStats(metrics);
        // Read before the handshake presents it: if the source changes meanwhile, the newer one is sent once open.
        presented = check.credentials().current();
        startTimer(ctx);
        byte[] first = driver.start();
        if (first != null) {
            ctx.forward(new LocalMessage(TransportMessage.wrap(listenerRoute, Route.of(ctx.address()), first)));
        }
    }

    private Timers.Timer timer;
    private boolean encryptorStarted;
    /** When this end last authenticated a frame from its peer ({@link System#nanoTime()}). */
    private long lastHeard;

    /** The handshake timer: one tick after the handshake timeout. */
    private void startTimer(Context ctx) {
        timer = Timers.of(Node.of(ctx)).once(timeouts.handshake(), tick(ctx, TIMER_KEY));
    }

    /** Sends this worker a tick (a message with local info {@code key}), on the node's timer thread. */
    private Runnable tick(Context ctx, String key) {
        LocalMessage tick = new LocalMessage(TransportMessage.wrap(Route.of(ctx.address()), Route.empty(), new byte[0]),
                Map.of(key, timerToken));
        return () -> {
            try {
                ctx.forward(tick);
            } catch (HopsealException e) {
                // the worker is gone: nothing to time out
            }
        };
    }

    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws HopsealException {
        LocalMessage m = msg.body();
        if (!m.localInfo().isEmpty() && onTick(m)) {
            return;
        }
        if (!m.origin().isLocal() && RoutingError.isRoutingError(Payloads.of(m.transportMessage()))) {
            onRoutingError(m);
            return;
        }
        ChannelFrame frame;
        try {
            frame = ChannelFrame.parse(Payloads.of(m.transportMessage()));
        } catch (DecodeException e) {
            LOG.debug("channel {} dropped an undecodable frame: {}", ctx.address(), e.getMessage());
            if (state == State.HANDSHAKING) {
                fail(new HandshakeException(ErrorKind.PROTOCOL, "malformed handshake frame: " + e.getMessage()), true);
            } else {
                stats.countTampered();
            }
            return;
        }
        switch (frame.type()) {
            case ChannelFrame.HANDSHAKE, ChannelFrame.X3DH, ChannelFrame.HYBRID_HANDSHAKE -> onHandshake(m, frame);
            case ChannelFrame.ABORT -> {
                if (state == State.HANDSHAKING || state == State.AWAITING_CONFIRM) {
                    fail(refusal(frame.abortReason()), false);
                }
            }
            default -> onData(frame);
        }
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

    /** An error reply from the path to the peer: unauthenticated, so it can only end a pending handshake. */
    private void onRoutingError(LocalMessage m) {
        if (state != State.HANDSHAKING && state != State.AWAITING_CONFIRM) {
            LOG.debug("channel {} ignored an error reply from {}", ctx.address(), LogText.of(m.origin()));
            return;
        }
        HopsealException cause;
        try {
            cause = RoutingError.decode(Payloads.of(m.transportMessage())).toException(m.origin());
        } catch (DecodeException e) {
            cause = new HandshakeException(ErrorKind.PROTOCOL, "malformed error reply from " + m.origin());
        }
        fail(cause, false);
    }

    /** Handles this worker's own timer ticks; {@code false} if {@code m} is not one. */
    private boolean onTick(LocalMessage m) {
        if (m.localInfo(TIMER_KEY).filter(timerToken::equals).isPresent()) {
            if (state == State.HANDSHAKING || state == State.AWAITING_CONFIRM) {
                fail(new HopsealTimeoutException("secure channel handshake", timeouts.handshake()), false);
            }
            return true;
        }
        if (m.localInfo(IDLE_KEY).filter(timerToken::equals).isPresent()) {
            onIdleTick();
            return true;
        }
        if (m.localInfo(CREDENTIAL_KEY).filter(timerToken::equals).isPresent()) {
            onCredentialTick();
            return true;
        }
        return false;
    }

    /** Closes an end that heard nothing for the idle timeout; pings the peer after a third of it. */
    private void onIdleTick() {
        if (state != State.OPEN) {
            return;
        }
        Duration silent = Duration.ofNanos(System.nanoTime() - lastHeard);
        if (silent.compareTo(timeouts.idle()) >= 0) {
            LOG.warn("channel {} closed: nothing heard from {} for {}", encryptor, peer == null ? "its peer" : peer.base().identifier(), timeouts.idle());
            close();
        } else if (silent.compareTo(timeouts.idle().dividedBy(3)) >= 0) {
            askEncryptor(Plaintext.PING);
        }
    }

    /** Asks this end's encryptor to send the peer a control frame ({@link Plaintext#PING} or {@link Plaintext#PONG}). */
    private void askEncryptor(int kind) {
        try {
            ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(encryptor), Route.empty(), new byte[0]),
                    Map.of(EncryptorWorker.CONTROL_KEY, EncryptorWorker.control(timerToken, kind))));
        } catch (HopsealException e) {
            LOG.debug("channel {} could not send a keepalive: {}", encryptor, e.toString());
        }
    }

    private void onHandshake(LocalMessage m, ChannelFrame frame) throws HopsealException {
        if (state != State.HANDSHAKING) {
            LOG.debug("channel {} ignored a handshake message out of turn", ctx.address());
            return;
        }
        try {
            if (remoteRoute == null) {
                remoteRoute = m.returnRoute();
            }
            if (carrier == null) {
                carrier = m.origin();
            }
            HandshakeDriver.Step step = driver.onFrame(frame);
            for (byte[] reply : step.replies()) {
                sendHandshake(reply);
            }
            HandshakeDriver.Established done = step.established();
            if (done == null) {
                return;
            }
            peer = done.peer();
            sender = done.sender();
            receiver = new ChannelReceiver(new ReceiveKeys(done.receiver()), new Reassembler(ReassemblyBudget.of(Node.of(ctx))),
                    stats, encryptor);
            if (initiator) {
                state = State.AWAITING_CONFIRM;
            } else {
                sendConfirmAndStartEncryptor();
            }
        } catch (HopsealException e) {
            fail(e, true);
        }
    }

    private void sendHandshake(byte[] message) throws HopsealException {
        ctx.forward(new LocalMessage(TransportMessage.wrap(remoteRoute, Route.of(ctx.address()), message)));
    }

    /** Responder: confirms to the initiator (nonce 0), then hands the sending key to the encryptor. */
    private void sendConfirmAndStartEncryptor() throws HopsealException {
        long nonce = sender.nonce();
        byte[] frame = sender.encryptWithAd(new byte[0], Plaintext.control(Plaintext.CONFIRM).toByteArray(), ChannelFrame.DATA_HEADER);
        ctx.forward(new LocalMessage(TransportMessage.wrap(remoteRoute, Route.of(ctx.address()), ChannelFrame.data(frame, nonce))));
        startEncryptor();
        state = State.OPEN;
        onHandshakeEnd.run();
        LOG.debug("channel {} accepted {}", encryptor, peer == null ? "a peer" : peer.base().identifier());
    }

    private void startEncryptor() throws HopsealException {
        Node node = Node.of(ctx);
        SecureChannelRegistry registry = SecureChannelRegistry.of(node);
        ChannelInfo info = info();
        // The same for every message this channel delivers until the peer's attributes change: given out by the node
        // until the channel closes.
        deliveredOrigin = node.issue(origin());
        Address self = ctx.address();
        EncryptorWorker worker = new EncryptorWorker(sender, remoteRoute, self, timerToken, peerClosed, () -> {
            registry.remove(encryptor);
            stopQuietly(self);
        });
        node.startWorker(encryptor, LocalMessage.class, worker,
                WorkerOptions.dedicated(Exposure.none(), EncryptorWorker.MAILBOX_CAPACITY).withSendersThread()
                        .withSendCheck(EncryptorWorker::checkSize).withServiceWait(EncryptorWorker.SERVICE_WAIT));
        encryptorStarted = true;
        timer.cancel();
        lastHeard = System.nanoTime();
        if (timeouts.idleEnabled()) {
            timer = Timers.of(node).every(timeouts.idle().dividedBy(3), tick(ctx, IDLE_KEY));
        }
        registry.add(info);
        metrics.handshakeSucceeded();
        completion.complete(info);
        scheduleCredentialCheck();
    }

    private ChannelInfo info() {
        return new ChannelInfo(encryptor, ctx.address(), Optional.ofNullable(peer).map(VerifiedPeer::identity), stats, remoteRoute,
                driver.protocol());
    }

    private Origin.Channel origin() {
        return new Origin.Channel(encryptor, Optional.ofNullable(listener), Optional.ofNullable(opener),
                Optional.ofNullable(peer).map(p -> p.base().identifier()), carrier,
                peer == null ? Map.of() : peer.attributes().values());
    }

    /**
     * Checks the credentials on both sides: the peer's attributes end when they expire (unless refreshed), and what
     * this end presents is sent again whenever its source holds something else.
     */
    private void onCredentialTick() {
        if (state != State.OPEN) {
            return;
        }
        if (peer != null) {
            changePeer(peer.at(Instant.now()), "its credentials expired");
        }
        if (state != State.OPEN) {
            return;
        }
        List<Credential> current = check.credentials().current();
        if (!current.equals(presented)) {
            presented = current;
            try {
                ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(encryptor), Route.empty(), PresentedCredentials.encode(current)),
                        Map.of(EncryptorWorker.CONTROL_KEY, EncryptorWorker.control(timerToken, Plaintext.CREDENTIALS))));
            } catch (HopsealException | RuntimeException e) {
                LOG.warn("channel {} could not present its renewed credentials: {}", encryptor, LogText.of(e.getMessage()));
            }
        }
        scheduleCredentialCheck();
    }

    /**
     * The next credential check: when the peer's attributes expire, and, for an end with a credential source, a tenth
     * of its shortest credential's lifetime (between {@link #MIN_CREDENTIAL_POLL} and {@link #MAX_CREDENTIAL_POLL};
     * {@link #CREDENTIAL_POLL} while it presents nothing), so a renewed credential reaches the peer well before the one
     * it replaces expires.
     */
    private void scheduleCredentialCheck() {
        if (credentialTimer != null) {
            credentialTimer.cancel();
            credentialTimer = null;
        }
        Instant now = Instant.now();
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
        if (next != null) {
            credentialTimer = Timers.of(Node.of(ctx)).once(next.isNegative() ? Duration.ZERO : next, tick(ctx, CREDENTIAL_KEY));
        }
    }

    /** Credentials the peer presented over the open channel: they replace its attributes if they verify. */
    private void onCredentials(byte[] bytes) {
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
        changePeer(peer.with(attributes), "its new credentials");
        if (state == State.OPEN) {
            scheduleCredentialCheck();
        }
    }

    /**
     * Makes {@code next} the peer: closes the channel if the trust policy refuses it, else gives out a new origin
     * with its attributes. Nothing happens if its attributes are what they were.
     */
    private void changePeer(VerifiedPeer next, String why) {
        if (next.attributes().equals(peer.attributes())) {
            return;
        }
        peer = next;
        if (!check.accepts(next)) {
            LOG.warn("channel {} closed: its trust policy no longer accepts {} with {}", encryptor, next.base().identifier(), why);
            close();
            return;
        }
        LOG.debug("channel {}: {} has attributes {} ({})", encryptor, next.base().identifier(), next.attributes().values(), why);
        Node node = Node.of(ctx);
        if (previousOrigin != null) {
            node.retire(previousOrigin);
        }
        previousOrigin = deliveredOrigin;
        deliveredOrigin = node.issue(origin());
        SecureChannelRegistry.of(node).add(info());
    }

    private void onData(ChannelFrame frame) throws HopsealException {
        if (state == State.HANDSHAKING || state == State.CLOSED) {
            return;
        }
        ChannelReceiver.Received received = receiver.accept(frame);
        if (received instanceof ChannelReceiver.Received.Dropped) {
            return;
        }
        lastHeard = System.nanoTime();
        switch (received) {
            case ChannelReceiver.Received.Message m -> deliver(m.bytes(), m.offset());
            case ChannelReceiver.Received.Control c -> onControl(c.kind());
            case ChannelReceiver.Received.Credentials c -> onCredentials(c.presented());
            default -> {
                // heard: a fragment or a malformed body, counted by the receiver
            }
        }
    }

    private void onControl(int kind) throws HopsealException {
        switch (kind) {
            case Plaintext.CONFIRM -> {
                if (state == State.AWAITING_CONFIRM) {
                    startEncryptor();
                    state = State.OPEN;
                }
            }
            case Plaintext.CLOSE -> {
                peerClosed.set(true);
                close();
            }
            case Plaintext.PING -> {
                if (state == State.OPEN) {
                    askEncryptor(Plaintext.PONG);
                }
            }
            default -> {
                // PONG: heard, nothing more
            }
        }
    }

    /**
     * Delivers the transport message encoded in {@code bytes} from {@code offset} to the end, as a message from this
     * channel; one that cannot be routed is answered with an error reply through the channel.
     */
    private void deliver(byte[] bytes, int offset) {
        if (state != State.OPEN) {
            return;
        }
        TransportMessage inner;
        try {
            inner = TransportMessage.decode(bytes, offset, bytes.length - offset);
        } catch (DecodeException e) {
            stats.countTampered();
            LOG.debug("channel {} dropped an authenticated but undecodable message: {}", encryptor, e.getMessage());
            return;
        }
        stats.countDelivered();
        Node.of(ctx).routeFromOutside(new LocalMessage(inner.withReturnRoute(inner.returnRoute().prepend(encryptor)), Map.of(),
                deliveredOrigin));
    }

    private void fail(HopsealException cause, boolean tellPeer) {
        if (state == State.CLOSED) {
            return;
        }
        if (tellPeer && remoteRoute != null) {
            try {
                ctx.forward(new LocalMessage(TransportMessage.wrap(remoteRoute, Route.of(ctx.address()), ChannelFrame.abort())));
            } catch (HopsealException e) {
                LOG.debug("could not send the abort: {}", e.toString());
            }
        }
        if (!initiator) {
            FAILED_HANDSHAKES.warn("secure channel handshake at {} failed: {}", ctx.address(), LogText.of(cause.getMessage()));
        }
        if (!completion.isDone()) {
            metrics.handshakeFailed(cause.kind());
        }
        completion.completeExceptionally(cause);
        close();
    }

    /** Stops this end: the encryptor (if started) and this worker. */
    private void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean hadEncryptor = state == State.OPEN;
        state = State.CLOSED;
        if (hadEncryptor) {
            stopQuietly(encryptor);
        }
        stopQuietly(ctx.address());
    }

    private void stopQuietly(Address address) {
        try {
            ctx.stopWorker(address);
        } catch (HopsealException e) {
            // already stopped
        }
    }

    @Override
    public void shutdown(Context ctx) throws Exception {
        if (deliveredOrigin != null) {
            Node.of(ctx).retire(deliveredOrigin);
        }
        if (previousOrigin != null) {
            Node.of(ctx).retire(previousOrigin);
        }
        if (credentialTimer != null) {
            credentialTimer.cancel();
        }
        if (state != State.CLOSED) {
            state = State.CLOSED;
            stopQuietly(encryptor);
        }
        if (!completion.isDone()) {
            metrics.handshakeFailed(ErrorKind.SHUTDOWN);
            completion.completeExceptionally(new HandshakeException(ErrorKind.SHUTDOWN, "the channel stopped"));
        }
        driver.destroy();
        if (receiver != null) {
            receiver.destroy();
        }
        if (sender != null && !encryptorStarted) {
            sender.destroy();
        }
        if (timer != null) {
            timer.cancel();
        }
        if (ownedStaticKey != null) {
            vaults.channel().delete(ownedStaticKey);
        }
        onHandshakeEnd.run();
    }
}
