package org.hopseal.core.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.channel.noise.CipherState;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.SendCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plaintext side of a channel end. A message routed {@code [encryptor, ...rest]} is encrypted whole (the rest
 * of its onward route, its return route and its payload) and sent to the peer's decryptor with an explicit nonce;
 * messages larger than one Noise message are split into fragments, and one larger than a channel carries is refused to
 * its sender ({@link #checkSize}). The key is rekeyed every {@link ReceiveKeys#REKEY_INTERVAL} messages; nonces never
 * repeat.
 *
 * <p>Its mailbox is bounded, so a producer faster than the path to the peer is slowed down (backpressure). A worker
 * that serves many peers (an Echoer replying to this channel's peer) waits for room too, while this end hands frames
 * on and for up to {@link #SERVICE_WAIT} while it cannot (its peer has stopped reading); past that its send fails
 * with {@code UNAVAILABLE}, which the sending worker gets and the node counts ({@code hopseal.messages.refused}). A
 * reply is never dropped without its sender knowing, and a peer that stops reading holds such a worker at most
 * {@link #SERVICE_WAIT} once: while this end still hands nothing on, later sends are refused at once.
 */
final class EncryptorWorker implements Worker<LocalMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(EncryptorWorker.class);
    /** A lost path closes every channel over it (and a retrying peer loses it again and again): one line per interval. */
    private static final RateLimitedLog CLOSED = RateLimitedLog.warnings(LOG);
    /** Mailbox capacity: how many plaintext messages may wait for encryption. */
    static final int MAILBOX_CAPACITY = 256;
    /**
     * How long a thread serving many peers waits for room in this end's full mailbox while this end hands nothing on:
     * longer than a live peer's pauses (a collection, a busy machine), short enough that a peer that stops reading
     * holds a shared worker only briefly. Threads dedicated to one peer wait for the connection instead.
     */
    static final Duration SERVICE_WAIT = Duration.ofSeconds(10);
    private static final byte[] NO_AD = new byte[0];
    /** Local info by which this end's decryptor asks for a keepalive control frame: {@code token/kind}. */
    static final String CONTROL_KEY = "hopseal.internal.channel-control";

    private final CipherState sender;
    private final Route remoteRoute;
    private final Address decryptor;
    private final String controlToken;
    private final Runnable onStop;
    private final AtomicBoolean peerClosed;
    private long fragmentSeq;

    EncryptorWorker(CipherState sender, Route remoteRoute, Address decryptor, String controlToken,
            AtomicBoolean peerClosed, Runnable onStop) {
        this.sender = sender;
        this.remoteRoute = remoteRoute;
        this.decryptor = decryptor;
        this.controlToken = controlToken;
        this.peerClosed = peerClosed;
        this.onStop = onStop;
    }

    /**
     * Refuses a message larger than a channel carries, on its sender's thread and before anything is encrypted (the
     * encryptor's {@link SendCheck}). It weighs the message as it enters, routes and body encoded, which is at least
     * what crosses: the peer reassembles at most {@link Reassembler#MAX_MESSAGE_BYTES}.
     */
    static void checkSize(LocalMessage message) throws RoutingException {
        int size = message.transportMessage().encodedSize();
        if (size > Reassembler.MAX_MESSAGE_BYTES) {
            throw new RoutingException(ErrorKind.INVALID, "the message is too large for a secure channel: " + size
                    + " bytes with its routes, and a channel carries at most " + Reassembler.MAX_MESSAGE_BYTES
                    + " (16 MiB of message and 1 KiB of routes); nothing was sent");
        }
    }

    /** The local info value that asks for control frame {@code kind}, for the decryptor holding {@code token}. */
    static String control(String token, int kind) {
        return token + "/" + kind;
    }

    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws HopsealException {
        if (!msg.body().localInfo().isEmpty()) {
            Optional<String> control = msg.body().localInfo(CONTROL_KEY);
            if (control.isPresent()) {
                if (control.get().equals(control(controlToken, Plaintext.PING))) {
                    sendFrame(ctx, Plaintext.control(Plaintext.PING));
                } else if (control.get().equals(control(controlToken, Plaintext.PONG))) {
                    sendFrame(ctx, Plaintext.control(Plaintext.PONG));
                } else if (control.get().equals(control(controlToken, Plaintext.CREDENTIALS))) {
                    sendFrame(ctx, Plaintext.credentials(Payloads.of(msg.body().transportMessage())));
                }
                return;
            }
        }
        TransportMessage in = msg.body().transportMessage();
        TransportMessage inner = in.withOnwardRoute(in.onwardRoute().stepForward());
        int size = inner.encodedSize();
        if (size + 1 <= Plaintext.MAX_CHUNK) {
            sendFrame(ctx, Plaintext.message(inner));
            return;
        }
        // Sealed first and sent together, so that a transport can write the fragments in one go.
        List<LocalMessage> frames = new ArrayList<>();
        for (Plaintext.Parts fragment : Plaintext.fragments(fragmentSeq++, inner)) {
            frames.add(seal(ctx, fragment));
        }
        toPeer(ctx, () -> Node.of(ctx).routeTogether(frames));
    }

    private void sendFrame(Context ctx, Plaintext.Parts plaintext) throws HopsealException {
        LocalMessage frame = seal(ctx, plaintext);
        toPeer(ctx, () -> ctx.forward(frame));
    }

    /** What {@code send} sends to the peer; a path to the peer that is gone closes this end. */
    private void toPeer(Context ctx, FrameSend send) throws HopsealException {
        try {
            send.run();
        } catch (HopsealException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE || e.kind() == ErrorKind.TIMEOUT
                    || e.kind() == ErrorKind.NOT_FOUND) {
                // The path to the peer is gone: close this end, so senders learn it instead of queueing into nothing.
                String reason = "secure channel closed: " + e.getMessage();
                closeBoth(ctx, reason);
                if (e instanceof RoutingException) {
                    // This sender learns it as later ones do: the channel is closed, and why.
                    throw new RoutingException(e.kind(), reason, e);
                }
            }
            throw e;
        }
    }

    /** {@code plaintext} encrypted under the next nonce (rekeying when due), as a frame routed to the peer's decryptor. */
    private LocalMessage seal(Context ctx, Plaintext.Parts plaintext) throws HopsealException {
        long nonce = sender.nonce();
        if (nonce > 0 && nonce % ReceiveKeys.REKEY_INTERVAL == 0) {
            sender.rekey();
        }
        byte[] frame;
        try {
            frame = sender.encryptWithAd(NO_AD, plaintext.head(), plaintext.body(), plaintext.offset(), plaintext.length(),
                    ChannelFrame.DATA_HEADER);
        } catch (HopsealException e) {
            // A vault that cannot encrypt leaves the channel unusable: close it, so senders learn it.
            closeBoth(ctx, "secure channel closed: its vault failed to encrypt: " + e.getMessage());
            throw e;
        }
        return new LocalMessage(TransportMessage.wrap(remoteRoute, Route.of(decryptor), ChannelFrame.data(frame, nonce)));
    }

    /** Sends sealed frames on their way. */
    @FunctionalInterface
    private interface FrameSend {
        void run() throws HopsealException;
    }

    private void closeBoth(Context ctx, String reason) {
        CLOSED.warn("channel {}: {}", ctx.address(), LogText.of(reason));
        peerClosed.set(true);
        Node node = Node.of(ctx);
        node.stopWorker(ctx.address(), reason);
        node.stopWorker(decryptor, reason);
    }

    /**
     * Tells the peer the channel is closed (best effort), unless the peer closed it: only over the connection the
     * channel runs on while it is still open, never by dialing, so that a peer that went away (a command that sent
     * its message and exited, its connection gone) is not called back at an address it no longer listens on.
     */
    private void sendClose(Context ctx) {
        if (peerClosed.getAndSet(true)) {
            return;
        }
        try {
            Node.of(ctx).routeWithoutConnecting(seal(ctx, Plaintext.control(Plaintext.CLOSE)));
        } catch (HopsealException | RuntimeException e) {
            LOG.debug("could not tell the peer that channel {} closed: {}", ctx.address(), e.toString());
        }
    }

    @Override
    public void shutdown(Context ctx) throws Exception {
        sendClose(ctx);
        sender.destroy();
        onStop.run();
    }
}
