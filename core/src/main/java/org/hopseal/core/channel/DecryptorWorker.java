package org.hopseal.core.channel;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
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
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.Timers;
import org.hopseal.core.node.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ciphertext side of a channel end, as a thin worker: it feeds what reaches it (frames from its peer's path,
 * error replies from it, its own timer ticks from the node's shared {@link Timers}) into the end's {@link ChannelEnd},
 * a state machine without I/O that runs the handshake ({@link HandshakeDriver}) and the open channel
 * ({@link ChannelReceiver}), and does what the end decides: it sends frames, starts the encryptor, forwards each
 * delivered message with its own encryptor prepended to the return route (so replies re-enter the channel), asks the
 * encryptor for control frames, gives out origins, schedules ticks and stops the end. Each message it delivers carries
 * an {@link Origin.Channel} (the listener that accepted the channel or the address that opened it, the verified peer,
 * and where the channel's own frames enter the node), and goes only where that origin is admitted.
 *
 * <p>It takes frames only from its route's first hop (the connection or channel its peer is behind) and from local
 * code ({@link #options}). An error reply from that hop ends a pending handshake at once.
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
    private final Address listener;
    private final Address opener;
    private final AtomicBoolean peerClosed = new AtomicBoolean();
    /** Made when the worker starts, with the node's meters and reassembly budget. */
    private ChannelEnd end;
    private ChannelStats stats;
    private NodeMetrics metrics;
    private Context ctx;
    private Timers.Timer timer;
    private Timers.Timer credentialTimer;
    private boolean encryptorStarted;
    /** The origin given out before the current one (kept until the next change, for messages still queued). */
    private Origin.Channel previousOrigin;
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
        Node node = Node.of(ctx);
        this.metrics = node.metrics();
        this.stats = new ChannelStats(metrics);
        this.end = new ChannelEnd(initiator, driver, check, timeouts, stats, ReassemblyBudget.of(node), encryptor,
                InstantSource.system(), System::nanoTime);
        timer = Timers.of(node).once(timeouts.handshake(), tick(TIMER_KEY));
        // A greeting that cannot be sent fails the start, and so whoever opens the channel.
        for (ChannelEnd.Action action : end.start()) {
            perform(action);
        }
    }

    /** Sends this worker a tick (a message with local info {@code key}), on the node's timer thread. */
    private Runnable tick(String key) {
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
        byte[] payload = Payloads.of(m.transportMessage());
        Optional<List<ChannelEnd.Action>> ticked = m.localInfo().isEmpty() ? Optional.empty() : onTick(m);
        if (ticked.isPresent()) {
            perform(ticked.get());
            return;
        }
        if (!m.origin().isLocal() && RoutingError.isRoutingError(payload)) {
            HopsealException cause;
            try {
                cause = RoutingError.decode(payload).toException(m.origin());
            } catch (DecodeException e) {
                cause = new HandshakeException(ErrorKind.PROTOCOL, "malformed error reply from " + m.origin());
            }
            perform(end.onRoutingError(cause));
            return;
        }
        perform(end.onFrame(payload, m.returnRoute(), m.origin()));
    }

    /** What this worker's own timer tick {@code m} asks of the end; empty if {@code m} is not one. */
    private Optional<List<ChannelEnd.Action>> onTick(LocalMessage m) {
        if (m.localInfo(TIMER_KEY).filter(timerToken::equals).isPresent()) {
            return Optional.of(end.onHandshakeTimeout());
        }
        if (m.localInfo(IDLE_KEY).filter(timerToken::equals).isPresent()) {
            return Optional.of(end.onIdleTick());
        }
        if (m.localInfo(CREDENTIAL_KEY).filter(timerToken::equals).isPresent()) {
            return Optional.of(end.onCredentialTick());
        }
        return Optional.empty();
    }

    /**
     * Does what the end decided, in order. An action that fails makes the end fail: what that decides is done instead
     * of the rest, unless the end was closing already.
     */
    private void perform(List<ChannelEnd.Action> actions) {
        for (ChannelEnd.Action action : actions) {
            try {
                perform(action);
            } catch (HopsealException e) {
                List<ChannelEnd.Action> failing = end.onActionFailed(e);
                if (!failing.isEmpty()) {
                    perform(failing);
                    return;
                }
            }
        }
    }

    private void perform(ChannelEnd.Action action) throws HopsealException {
        switch (action) {
            case ChannelEnd.Greet g -> ctx.forward(new LocalMessage(TransportMessage.wrap(listenerRoute, Route.of(ctx.address()), g.frame())));
            case ChannelEnd.Send s -> ctx.forward(new LocalMessage(TransportMessage.wrap(end.remoteRoute(), Route.of(ctx.address()), s.frame())));
            case ChannelEnd.Abort a -> sendAbort(a.frame());
            case ChannelEnd.Open o -> startEncryptor(o.sender());
            case ChannelEnd.Deliver d -> Node.of(ctx).routeFromOutside(new LocalMessage(d.message(), Map.of(), deliveredOrigin));
            case ChannelEnd.Control c -> askEncryptor(c.kind(), new byte[0]);
            case ChannelEnd.Present p -> askEncryptor(Plaintext.CREDENTIALS, PresentedCredentials.encode(p.credentials()));
            case ChannelEnd.PeerChanged changed -> issueNewOrigin();
            case ChannelEnd.CheckCredentials c -> scheduleCredentialCheck(c.after());
            case ChannelEnd.Failed f -> failed(f.cause());
            case ChannelEnd.Close c -> close(c);
        }
    }

    private void sendAbort(byte[] frame) {
        try {
            ctx.forward(new LocalMessage(TransportMessage.wrap(end.remoteRoute(), Route.of(ctx.address()), frame)));
        } catch (HopsealException e) {
            LOG.debug("could not send the abort: {}", e.toString());
        }
    }

    /** Asks this end's encryptor to send the peer a control frame of {@code kind}, carrying {@code body}. */
    private void askEncryptor(int kind, byte[] body) {
        try {
            ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(encryptor), Route.empty(), body),
                    Map.of(EncryptorWorker.CONTROL_KEY, EncryptorWorker.control(timerToken, kind))));
        } catch (HopsealException | RuntimeException e) {
            if (kind == Plaintext.CREDENTIALS) {
                LOG.warn("channel {} could not present its renewed credentials: {}", encryptor, LogText.of(e.getMessage()));
            } else {
                LOG.debug("channel {} could not send a keepalive: {}", encryptor, e.toString());
            }
        }
    }

    /** The channel is open: starts the encryptor with {@code sender}, and tells the registry and whoever waits. */
    private void startEncryptor(CipherState sender) throws HopsealException {
        Node node = Node.of(ctx);
        SecureChannelRegistry registry = SecureChannelRegistry.of(node);
        ChannelInfo info = info();
        // The same for every message this channel delivers until the peer's attributes change: given out by the node
        // until the channel closes.
        deliveredOrigin = node.issue(origin());
        Address self = ctx.address();
        EncryptorWorker worker = new EncryptorWorker(sender, end.remoteRoute(), self, timerToken, peerClosed, () -> {
            registry.remove(encryptor);
            stopQuietly(self);
        });
        node.startWorker(encryptor, LocalMessage.class, worker,
                WorkerOptions.dedicated(Exposure.none(), EncryptorWorker.MAILBOX_CAPACITY).withSendersThread()
                        .withSendCheck(EncryptorWorker::checkSize).withServiceWait(EncryptorWorker.SERVICE_WAIT));
        encryptorStarted = true;
        timer.cancel();
        if (timeouts.idleEnabled()) {
            timer = Timers.of(node).every(timeouts.idle().dividedBy(3), tick(IDLE_KEY));
        }
        registry.add(info);
        metrics.handshakeSucceeded();
        completion.complete(info);
        onHandshakeEnd.run();
    }

    private ChannelInfo info() {
        return new ChannelInfo(encryptor, ctx.address(), end.peer().map(VerifiedPeer::identity), stats, end.remoteRoute(),
                end.protocol());
    }

    private Origin.Channel origin() {
        Optional<VerifiedPeer> peer = end.peer();
        return new Origin.Channel(encryptor, Optional.ofNullable(listener), Optional.ofNullable(opener),
                peer.map(p -> p.base().identifier()), end.carrier(), peer.map(p -> p.attributes().values()).orElse(Map.of()));
    }

    /** The peer's attributes changed: messages delivered from now on carry a new origin with them. */
    private void issueNewOrigin() {
        Node node = Node.of(ctx);
        if (previousOrigin != null) {
            node.retire(previousOrigin);
        }
        previousOrigin = deliveredOrigin;
        deliveredOrigin = node.issue(origin());
        SecureChannelRegistry.of(node).add(info());
    }

    private void scheduleCredentialCheck(Optional<Duration> after) {
        if (credentialTimer != null) {
            credentialTimer.cancel();
            credentialTimer = null;
        }
        after.ifPresent(d -> credentialTimer = Timers.of(Node.of(ctx)).once(d, tick(CREDENTIAL_KEY)));
    }

    private void failed(HopsealException cause) {
        if (!initiator) {
            FAILED_HANDSHAKES.warn("secure channel handshake at {} failed: {}", ctx.address(), LogText.of(cause.getMessage()));
        }
        if (!completion.isDone()) {
            metrics.handshakeFailed(cause.kind());
        }
        completion.completeExceptionally(cause);
    }

    /** Stops this end: the encryptor (if started) and this worker. */
    private void close(ChannelEnd.Close close) {
        close.why().ifPresent(why -> LOG.warn("channel {} closed: {}", encryptor, why));
        if (close.byPeer()) {
            peerClosed.set(true);
        }
        if (close.encryptorRunning()) {
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
        if (end.stop()) {
            stopQuietly(encryptor);
        }
        if (!completion.isDone()) {
            metrics.handshakeFailed(ErrorKind.SHUTDOWN);
            completion.completeExceptionally(new HandshakeException(ErrorKind.SHUTDOWN, "the channel stopped"));
        }
        end.destroyKeys(encryptorStarted);
        if (timer != null) {
            timer.cancel();
        }
        if (ownedStaticKey != null) {
            vaults.channel().delete(ownedStaticKey);
        }
        onHandshakeEnd.run();
    }
}
