package org.hopseal.core.channel;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.channel.noise.HandshakeState;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.NodeContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ciphertext side of a channel end. While handshaking it runs the Noise XX state machine (the handshake does no
 * I/O; this worker carries its messages), authenticates the peer and applies the trust policy; once open, it
 * decrypts data frames, checks their nonces against the window, and forwards each message with its own encryptor
 * prepended to the return route, so replies re-enter the channel.
 *
 * <p>Failures close the handshake on both sides: the side that refuses sends an abort, the initiator's caller gets
 * the error, and every worker of the attempt stops. A handshake that does not finish in time stops too.
 */
final class DecryptorWorker implements Worker<LocalMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptorWorker.class);
    /** Identifies Hopseal's channels inside the Noise transcript. */
    static final byte[] PROLOGUE = "hopseal/secure-channel/1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String TIMER_KEY = "hopseal.internal.handshake-timer";

    private enum State { HANDSHAKING, AWAITING_CONFIRM, OPEN, CLOSED }

    private final boolean initiator;
    private final Vaults vaults;
    private final ChannelAuthenticator authenticator;
    private final AgreementKeyHandle staticKey;
    private final boolean ownsStaticKey;
    private final TrustPolicy trustPolicy;
    private final Duration timeout;
    private final Address encryptor;
    private final Route listenerRoute;
    private final CompletableFuture<ChannelInfo> completion;
    private final Runnable onHandshakeEnd;
    private final String timerToken = Address.random().toString();
    private final ChannelStats stats = new ChannelStats();
    private final NonceWindow window = new NonceWindow();
    private final Reassembler reassembler = new Reassembler();
    private final AtomicBoolean peerClosed = new AtomicBoolean();
    private HandshakeState handshake;
    private State state = State.HANDSHAKING;
    private Route remoteRoute;
    private ReceiveKeys receiveKeys;
    private PeerIdentity peer;
    private Context ctx;
    private HandshakeState.TransportKeys keys;

    private DecryptorWorker(boolean initiator, Vaults vaults, ChannelAuthenticator authenticator, AgreementKeyHandle staticKey,
            boolean ownsStaticKey, TrustPolicy trustPolicy, Duration timeout, Address encryptor, Route listenerRoute,
            CompletableFuture<ChannelInfo> completion, Runnable onHandshakeEnd) {
        this.initiator = initiator;
        this.vaults = vaults;
        this.authenticator = authenticator;
        this.staticKey = staticKey;
        this.ownsStaticKey = ownsStaticKey;
        this.trustPolicy = trustPolicy;
        this.timeout = timeout;
        this.encryptor = encryptor;
        this.listenerRoute = listenerRoute;
        this.completion = completion;
        this.onHandshakeEnd = onHandshakeEnd;
    }

    static DecryptorWorker initiator(Vaults vaults, ChannelAuthenticator authenticator, AgreementKeyHandle staticKey,
            boolean ownsStaticKey, TrustPolicy trustPolicy, Duration timeout, Address encryptor, Route listenerRoute,
            CompletableFuture<ChannelInfo> completion) {
        return new DecryptorWorker(true, vaults, authenticator, staticKey, ownsStaticKey, trustPolicy, timeout, encryptor,
                listenerRoute, completion, () -> { });
    }

    static DecryptorWorker responder(Vaults vaults, ChannelAuthenticator authenticator, AgreementKeyHandle staticKey,
            TrustPolicy trustPolicy, Duration timeout, Address encryptor, Runnable onHandshakeEnd) {
        return new DecryptorWorker(false, vaults, authenticator, staticKey, false, trustPolicy, timeout, encryptor,
                null, new CompletableFuture<>(), onHandshakeEnd);
    }

    @Override
    public void initialize(Context ctx) throws HopsealException {
        this.ctx = ctx;
        NoiseProtocol protocol = NoiseProtocol.parse(NoiseProtocol.XX_25519_AESGCM_SHA256);
        HandshakeState.Builder b = initiator
                ? HandshakeState.initiator(protocol, vaults.channel(), vaults.verifier())
                : HandshakeState.responder(protocol, vaults.channel(), vaults.verifier());
        handshake = b.prologue(PROLOGUE).localStatic(staticKey).build();
        startTimer(ctx);
        if (initiator) {
            byte[] m1 = handshake.writeMessage(new byte[0]);
            ctx.forward(new LocalMessage(TransportMessage.wrap(listenerRoute, Route.of(ctx.address()), ChannelFrame.handshake(m1))));
        }
    }

    private Thread timer;
    private boolean encryptorStarted;

    private void startTimer(Context ctx) {
        Address self = ctx.address();
        timer = Thread.ofVirtual().name("handshake-timer-" + self).start(() -> {
            try {
                Thread.sleep(timeout);
                ctx.forward(new LocalMessage(TransportMessage.wrap(Route.of(self), Route.empty(), new byte[0]), java.util.Map.of(TIMER_KEY, timerToken)));
            } catch (InterruptedException | HopsealException e) {
                // the node stopped or the worker is gone: nothing to time out
            }
        });
    }

    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws HopsealException {
        LocalMessage m = msg.body();
        if (m.localInfo(TIMER_KEY).filter(timerToken::equals).isPresent()) {
            if (state == State.HANDSHAKING || state == State.AWAITING_CONFIRM) {
                fail(new HopsealTimeoutException("secure channel handshake", timeout), false);
            }
            return;
        }
        ChannelFrame frame;
        try {
            frame = ChannelFrame.parse(m.transportMessage().payloadUnsafe());
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
            case ChannelFrame.HANDSHAKE -> onHandshake(m, frame.body());
            case ChannelFrame.ABORT -> {
                if (state == State.HANDSHAKING || state == State.AWAITING_CONFIRM) {
                    fail(new HandshakeException(ErrorKind.UNTRUSTED, "the peer refused the secure channel"), false);
                }
            }
            default -> onData(frame);
        }
    }

    private void onHandshake(LocalMessage m, byte[] noiseMessage) throws HopsealException {
        if (state != State.HANDSHAKING || handshake.action() != HandshakeState.Action.READ_MESSAGE) {
            LOG.debug("channel {} ignored a handshake message out of turn", ctx.address());
            return;
        }
        try {
            byte[] payload = handshake.readMessage(noiseMessage);
            if (remoteRoute == null) {
                remoteRoute = m.returnRoute();
            }
            if (!initiator && handshake.action() == HandshakeState.Action.WRITE_MESSAGE) {
                // Message 1 read: answer with message 2, carrying the responder's identity.
                sendHandshake(handshake.writeMessage(this::identityPayload));
                return;
            }
            verifyPeer(payload);
            if (initiator) {
                // Message 2 read and verified: answer with message 3, carrying the initiator's identity.
                sendHandshake(handshake.writeMessage(this::identityPayload));
                open();
                state = State.AWAITING_CONFIRM;
            } else {
                open();
                sendConfirmAndStartEncryptor();
            }
        } catch (HopsealException e) {
            fail(e, true);
        }
    }

    private byte[] identityPayload(byte[] binding) throws HopsealException {
        return authenticator == null ? new byte[0] : authenticator.identityPayload(binding, initiator);
    }

    private void verifyPeer(byte[] payload) throws HopsealException {
        if (authenticator == null) {
            return;
        }
        PeerIdentity verified = authenticator.verifyPeer(payload, handshake.payloadBinding(),
                handshake.remoteStatic().orElseThrow(), !initiator);
        if (!trustPolicy.check(verified)) {
            throw new org.hopseal.api.error.IdentityException(ErrorKind.UNTRUSTED,
                    "the trust policy refused peer " + verified.identifier());
        }
        peer = verified;
    }

    private void open() throws HopsealException {
        keys = handshake.split();
        receiveKeys = new ReceiveKeys(keys.receiver());
    }

    private void sendHandshake(byte[] message) throws HopsealException {
        ctx.forward(new LocalMessage(TransportMessage.wrap(remoteRoute, Route.of(ctx.address()), ChannelFrame.handshake(message))));
    }

    /** Responder: confirms to the initiator (nonce 0), then hands the sending key to the encryptor. */
    private void sendConfirmAndStartEncryptor() throws HopsealException {
        byte[] ciphertext = keys.sender().encryptWithAd(new byte[0], Plaintext.control(Plaintext.CONFIRM));
        ctx.forward(new LocalMessage(TransportMessage.wrap(remoteRoute, Route.of(ctx.address()), ChannelFrame.data(0, ciphertext))));
        startEncryptor();
        state = State.OPEN;
        onHandshakeEnd.run();
        LOG.debug("channel {} accepted {}", encryptor, peer == null ? "a peer" : peer.identifier());
    }

    private void startEncryptor() throws HopsealException {
        Node node = Node.of(ctx);
        SecureChannelRegistry registry = SecureChannelRegistry.of(node);
        ChannelInfo info = new ChannelInfo(encryptor, ctx.address(), Optional.ofNullable(peer), stats);
        Address self = ctx.address();
        EncryptorWorker worker = new EncryptorWorker(keys.sender(), remoteRoute, self, peerClosed, () -> {
            registry.remove(encryptor);
            stopQuietly(self);
        });
        ((NodeContext) ctx).startBoundedWorker(encryptor, LocalMessage.class, worker, EncryptorWorker.MAILBOX_CAPACITY);
        encryptorStarted = true;
        timer.interrupt();
        registry.add(info);
        completion.complete(info);
    }

    private void onData(ChannelFrame frame) throws HopsealException {
        if (state == State.HANDSHAKING || state == State.CLOSED) {
            return;
        }
        long nonce = frame.nonce();
        if (!window.isFresh(nonce)) {
            if (window.isTooOld(nonce)) {
                stats.countTooOld();
            } else {
                stats.countReplayed();
            }
            LOG.debug("channel {} dropped a replayed or too old frame (nonce {})", encryptor, nonce);
            return;
        }
        byte[] plaintext;
        try {
            plaintext = receiveKeys.decrypt(nonce, frame.body());
        } catch (AuthenticationFailedException | HandshakeException e) {
            stats.countTampered();
            LOG.debug("channel {} dropped a frame that failed to authenticate", encryptor);
            return;
        }
        window.markSeen(nonce);
        Plaintext p;
        try {
            p = Plaintext.parse(plaintext);
        } catch (DecodeException e) {
            stats.countTampered();
            LOG.warn("channel {} dropped an authenticated but malformed frame: {}", encryptor, e.getMessage());
            return;
        }
        switch (p.kind()) {
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
            case Plaintext.MESSAGE -> deliver(p.body());
            default -> {
                try {
                    byte[] whole = reassembler.add(p);
                    if (whole != null) {
                        deliver(whole);
                    }
                } catch (DecodeException e) {
                    LOG.warn("channel {} dropped a malformed fragmented message: {}", encryptor, e.getMessage());
                }
            }
        }
    }

    private void deliver(byte[] encoded) {
        if (state != State.OPEN) {
            return;
        }
        try {
            TransportMessage inner = TransportMessage.decode(encoded);
            LocalMessage out = new LocalMessage(inner.withReturnRoute(inner.returnRoute().prepend(encryptor)));
            out = out.withLocalInfo(LocalMessage.SECURE_CHANNEL, encryptor.toString());
            if (peer != null) {
                out = out.withLocalInfo(LocalMessage.PEER_IDENTIFIER, peer.identifier().toString());
            }
            stats.countDelivered();
            ctx.forward(out);
        } catch (HopsealException e) {
            LOG.warn("channel {} could not deliver a message: {}", encryptor, e.getMessage());
        }
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
            LOG.warn("secure channel handshake at {} failed: {}", ctx.address(), cause.getMessage());
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
        if (state != State.CLOSED) {
            state = State.CLOSED;
            stopQuietly(encryptor);
        }
        completion.completeExceptionally(new HandshakeException(ErrorKind.SHUTDOWN, "the channel stopped"));
        if (handshake != null) {
            handshake.destroy();
        }
        if (receiveKeys != null) {
            receiveKeys.destroy();
        } else if (keys != null) {
            keys.receiver().destroy();
        }
        if (keys != null && !encryptorStarted) {
            keys.sender().destroy();
        }
        if (timer != null) {
            timer.interrupt();
        }
        if (ownsStaticKey) {
            vaults.channel().delete(staticKey);
        }
        onHandshakeEnd.run();
    }
}
