package org.hopseal.core.channel;

import java.util.List;
import org.hopseal.api.error.HopsealException;
import org.hopseal.core.channel.noise.CipherState;

/**
 * One way of agreeing on a channel's keys (Noise XX, X3DH), as a state machine without I/O: the decryptor worker
 * carries its frames. Any exception ends the handshake.
 */
interface HandshakeDriver {
    /** The protocol's name, e.g. {@code Noise_XX_25519_AESGCM_SHA256} or {@code X3DH}. */
    String protocol();

    /** The initiator's first frame (a whole channel frame payload); {@code null} for a responder. */
    byte[] start() throws HopsealException;

    /** Handles one handshake frame from the peer: frames to send back, and the keys once agreed. */
    Step onFrame(ChannelFrame frame) throws HopsealException;

    /** Deletes whatever keys the handshake still holds. */
    void destroy();

    /** What to send, and whether the channel is established. */
    record Step(List<byte[]> replies, Established established) {
        static Step reply(byte[] frame) {
            return new Step(List.of(frame), null);
        }
    }

    /** The agreed channel: a CipherState per direction and the verified peer ({@code null} without identities). */
    record Established(CipherState sender, CipherState receiver, VerifiedPeer peer) {
    }
}
