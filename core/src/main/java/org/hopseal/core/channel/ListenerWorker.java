package org.hopseal.core.channel;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.PostQuantum;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.metrics.DropReason;
import org.hopseal.core.node.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts channels (Noise XX, classical or hybrid as its post-quantum policy says, X3DH, or several): for every first
 * handshake message it starts a responder (a decryptor at a fresh address, which will start its encryptor when the
 * handshake succeeds) and passes the message on. A Noise XX handshake its policy refuses is answered with an abort
 * that says why. At most
 * {@value #MAX_PENDING_HANDSHAKES} handshakes may be pending at once; more are dropped with a log line, so a flood
 * of garbage cannot exhaust the node.
 */
final class ListenerWorker implements Worker<LocalMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerWorker.class);
    static final int MAX_PENDING_HANDSHAKES = 1024;

    private final Vaults vaults;
    private final ChannelAuthenticator authenticator;
    private final AgreementKeyHandle staticKey;
    private final boolean ownsStaticKey;
    private final SecureChannelOptions options;
    private final ChannelTimeouts timeouts;
    private final Set<KeyAgreement> accepted;
    private final boolean acceptsHybrid;
    private final AtomicInteger pending = new AtomicInteger();
    private final RateLimitedLog overloaded = RateLimitedLog.warnings(LOG);
    private PrekeyStore prekeys;

    ListenerWorker(Vaults vaults, ChannelAuthenticator authenticator, AgreementKeyHandle staticKey, boolean ownsStaticKey,
            SecureChannelOptions options) {
        this.vaults = vaults;
        this.authenticator = authenticator;
        this.staticKey = staticKey;
        this.ownsStaticKey = ownsStaticKey;
        this.options = options;
        this.timeouts = ChannelTimeouts.of(options);
        this.accepted = options.keyAgreements();
        this.acceptsHybrid = options.postQuantum() != PostQuantum.OFF && vaults.channel().kemAlgorithms().contains(KemAlgorithm.ML_KEM_768);
    }

    @Override
    public void initialize(Context ctx) throws HopsealException {
        if (accepted.contains(KeyAgreement.X3DH)) {
            // An entity's listener keeps its prekeys with the entity's keys; a throw-away identity key takes them along.
            prekeys = ownsStaticKey ? PrekeyStore.ephemeral(vaults.channel(), staticKey)
                    : PrekeyStore.persistent(vaults, staticKey, ctx.address().toString());
        }
    }

    /**
     * Why this listener refuses the Noise XX handshake {@code frame} opens ({@link ChannelFrame#REQUIRES_HYBRID},
     * {@link ChannelFrame#REFUSES_HYBRID}), or 0 when it does not refuse it for its post-quantum policy.
     */
    private int refusalFor(ChannelFrame frame) {
        if (!accepted.contains(KeyAgreement.NOISE_XX)) {
            return 0;
        }
        if (frame.type() == ChannelFrame.HANDSHAKE && options.postQuantum() == PostQuantum.REQUIRED) {
            return ChannelFrame.REQUIRES_HYBRID;
        }
        return frame.type() == ChannelFrame.HYBRID_HANDSHAKE && !acceptsHybrid ? ChannelFrame.REFUSES_HYBRID : 0;
    }

    /** Tells the sender of {@code m} why its handshake is refused, so that it fails at once instead of timing out. */
    private void refuse(Context ctx, LocalMessage m, int reason) throws HopsealException {
        LOG.debug("listener {} refused a handshake with abort reason {} (post-quantum policy {})", ctx.address(), reason,
                options.postQuantum());
        ctx.forward(new LocalMessage(TransportMessage.wrap(m.transportMessage().returnRoute(), Route.of(ctx.address()),
                ChannelFrame.abort(reason))));
    }

    /** The driver for a handshake that opens with {@code frame}, or {@code null} if this listener does not take it. */
    private HandshakeDriver driverFor(ChannelFrame frame, PeerCheck check) throws HopsealException {
        boolean noise = accepted.contains(KeyAgreement.NOISE_XX);
        if (noise && (frame.type() == ChannelFrame.HANDSHAKE || frame.type() == ChannelFrame.HYBRID_HANDSHAKE)) {
            // refusalFor has turned away what the post-quantum policy does not take.
            return new NoiseXxDriver(false, frame.type() == ChannelFrame.HYBRID_HANDSHAKE, vaults, staticKey, check);
        }
        if (frame.type() == ChannelFrame.X3DH && prekeys != null && frame.bodyLength() == 1 && frame.bytes()[frame.offset()] == X3dhMessages.REQUEST) {
            return X3dhDriver.responder(vaults, prekeys, check);
        }
        return null;
    }

    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws HopsealException {
        LocalMessage m = msg.body();
        ChannelFrame frame;
        try {
            frame = ChannelFrame.parse(Payloads.of(m.transportMessage()));
        } catch (DecodeException e) {
            LOG.debug("listener {} dropped an undecodable frame: {}", ctx.address(), e.getMessage());
            return;
        }
        int refusal = refusalFor(frame);
        if (refusal != 0) {
            refuse(ctx, m, refusal);
            return;
        }
        PeerCheck check = new PeerCheck(authenticator, options);
        HandshakeDriver driver = driverFor(frame, check);
        if (driver == null) {
            LOG.debug("listener {} dropped a frame that does not open a handshake it accepts", ctx.address());
            return;
        }
        if (pending.incrementAndGet() > MAX_PENDING_HANDSHAKES) {
            pending.decrementAndGet();
            // The driver already holds vault entries (its chaining key): a dropped handshake must leave none behind.
            driver.destroy();
            Node.of(ctx).metrics().frameDropped(DropReason.OVERLOAD);
            overloaded.warn("listener {} dropped a handshake: {} are pending already", ctx.address(), MAX_PENDING_HANDSHAKES);
            return;
        }
        Address decryptor = Address.random();
        Address encryptor = Address.random();
        AtomicInteger counter = pending;
        boolean[] released = new boolean[1];
        Runnable release = () -> {
            if (!released[0]) {
                released[0] = true;
                counter.decrementAndGet();
            }
        };
        DecryptorWorker responder = DecryptorWorker.responder(vaults, driver, check, timeouts, encryptor, release, ctx.address());
        // The responder takes its peer's frames only by the connection or channel this first one came by.
        Address firstHop = m.origin().entry().orElse(ctx.address());
        try {
            Node.of(ctx).startWorker(decryptor, LocalMessage.class, responder, DecryptorWorker.options(firstHop));
        } catch (HopsealException e) {
            release.run();
            driver.destroy();
            throw e;
        }
        ctx.forward(m.withTransportMessage(m.transportMessage().withOnwardRoute(Route.of(decryptor))));
    }

    @Override
    public void shutdown(Context ctx) throws Exception {
        if (prekeys != null) {
            prekeys.close();
        }
        if (ownsStaticKey) {
            vaults.channel().delete(staticKey);
        }
    }
}
