package org.hopseal.core.channel;

import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of a channel end once its keys are agreed, as a state machine without I/O: it takes a data
 * frame, checks its nonce against the window, authenticates and decrypts it, reassembles fragments, and says what
 * the frame asks of the end. Frames that fail a check are dropped and counted in the channel's
 * {@link ChannelStats}; a nonce is marked seen only after its frame authenticated.
 *
 * <p>Thread safety: not thread safe; driven by whichever thread holds its channel end's turn.
 */
final class ChannelReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelReceiver.class);

    /** What one data frame asks of its channel end; all but {@link Dropped} mean the peer was heard. */
    sealed interface Received {
        /** The frame failed the nonce window or authentication: dropped and counted. */
        record Dropped() implements Received {
        }

        /** Authenticated, and nothing to act on: a fragment of a message not yet whole, or a malformed body. */
        record Heard() implements Received {
        }

        /** An authenticated control frame: {@link Plaintext#CONFIRM}, {@link Plaintext#CLOSE}, ping or pong. */
        record Control(int kind) implements Received {
        }

        /** What the peer presents now ({@link Plaintext#CREDENTIALS}), still encoded. */
        record Credentials(byte[] presented) implements Received {
        }

        /** A whole message: the encoded transport message in {@code bytes} from {@code offset} to the end. */
        record Message(byte[] bytes, int offset) implements Received {
        }
    }

    private static final Received DROPPED = new Received.Dropped();
    private static final Received HEARD = new Received.Heard();

    private final ReceiveKeys keys;
    private final Reassembler reassembler;
    private final ChannelStats stats;
    private final NonceWindow window = new NonceWindow();
    private final Object name;

    /** {@code name} identifies the channel in debug lines. */
    ChannelReceiver(ReceiveKeys keys, Reassembler reassembler, ChannelStats stats, Object name) {
        this.keys = keys;
        this.reassembler = reassembler;
        this.stats = stats;
        this.name = name;
    }

    /** Takes one data frame of this channel. */
    Received accept(ChannelFrame frame) throws HopsealException {
        long nonce = frame.nonce();
        if (!window.isFresh(nonce)) {
            if (window.isTooOld(nonce)) {
                stats.countTooOld();
            } else {
                stats.countReplayed();
            }
            LOG.debug("channel {} dropped a replayed or too old frame (nonce {})", name, nonce);
            return DROPPED;
        }
        byte[] plaintext;
        try {
            plaintext = keys.decrypt(nonce, frame.bytes(), frame.offset(), frame.bodyLength());
        } catch (AuthenticationFailedException | HandshakeException e) {
            stats.countTampered();
            LOG.debug("channel {} dropped a frame that failed to authenticate", name);
            return DROPPED;
        }
        window.markSeen(nonce);
        if (plaintext.length > 0 && plaintext[0] == Plaintext.MESSAGE) {
            // The common case, decoded in place after the kind byte.
            return new Received.Message(plaintext, 1);
        }
        Plaintext p;
        try {
            p = Plaintext.parse(plaintext);
        } catch (DecodeException e) {
            stats.countTampered();
            LOG.warn("channel {} dropped an authenticated but malformed frame: {}", name, e.getMessage());
            return HEARD;
        }
        // Not a whole message (that kind is handled above): a fragment, credentials or a control frame.
        return switch (p.kind()) {
            case Plaintext.FRAGMENT -> reassemble(p);
            case Plaintext.CREDENTIALS -> new Received.Credentials(p.body());
            default -> new Received.Control(p.kind());
        };
    }

    private Received reassemble(Plaintext fragment) {
        try {
            byte[] whole = reassembler.add(fragment);
            return whole == null ? HEARD : new Received.Message(whole, 0);
        } catch (DecodeException e) {
            stats.countTampered();
            LOG.debug("channel {} dropped a fragmented message: {}", name, e.getMessage());
            return HEARD;
        }
    }

    /** Forgets partial messages and destroys the keys. */
    void destroy() throws VaultException {
        reassembler.clear();
        keys.destroy();
    }
}
