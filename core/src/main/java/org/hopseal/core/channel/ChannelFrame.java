package org.hopseal.core.channel;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.hopseal.api.error.DecodeException;

/**
 * The payloads a channel end sends to its peer's decryptor. The first byte is the type:
 * <ul>
 *   <li>{@code 0} handshake: a Noise handshake message follows;</li>
 *   <li>{@code 1} data: an 8-byte big-endian nonce, then the AEAD ciphertext of a {@link Plaintext};</li>
 *   <li>{@code 2} abort: the sender gave up the handshake (honoured only while handshaking), optionally followed by a
 *   reason byte ({@link #REQUIRES_HYBRID}, {@link #REFUSES_HYBRID});</li>
 *   <li>{@code 3} X3DH: an X3DH handshake message follows (bundle request, bundle, initial message);</li>
 *   <li>{@code 4} hybrid handshake: a {@code Noise_XXhfs_25519+MLKEM768} message follows (see
 *   {@code docs/post-quantum.md}).</li>
 * </ul>
 */
record ChannelFrame(int type, long nonce, byte[] bytes, int offset) {
    static final int HANDSHAKE = 0;
    static final int DATA = 1;
    static final int ABORT = 2;
    static final int X3DH = 3;
    static final int HYBRID_HANDSHAKE = 4;
    /** Abort reason: the listener accepts only hybrid handshakes. */
    static final int REQUIRES_HYBRID = 1;
    /** Abort reason: the listener does not accept hybrid handshakes. */
    static final int REFUSES_HYBRID = 2;
    /** The length of a data frame's header: type and nonce. */
    static final int DATA_HEADER = 9;

    /** A copy of what follows the header (handshake and X3DH messages). */
    byte[] body() {
        return Arrays.copyOfRange(bytes, offset, bytes.length);
    }

    /** How many bytes follow the header. */
    int bodyLength() {
        return bytes.length - offset;
    }

    static byte[] handshake(byte[] noiseMessage) {
        return handshake(HANDSHAKE, noiseMessage);
    }

    /** A Noise handshake message as a frame of {@code type} ({@link #HANDSHAKE} or {@link #HYBRID_HANDSHAKE}). */
    static byte[] handshake(int type, byte[] noiseMessage) {
        byte[] out = new byte[1 + noiseMessage.length];
        out[0] = (byte) type;
        System.arraycopy(noiseMessage, 0, out, 1, noiseMessage.length);
        return out;
    }

    /**
     * Makes {@code frame}, whose first {@link #DATA_HEADER} bytes were left free for it and the rest holds the
     * ciphertext, a data frame with {@code nonce}.
     */
    static byte[] data(byte[] frame, long nonce) {
        frame[0] = DATA;
        for (int i = 0; i < 8; i++) {
            frame[1 + i] = (byte) (nonce >>> (56 - 8 * i));
        }
        return frame;
    }

    static byte[] x3dh(byte[] message) {
        byte[] out = new byte[1 + message.length];
        out[0] = X3DH;
        System.arraycopy(message, 0, out, 1, message.length);
        return out;
    }

    static byte[] abort() {
        return new byte[] {ABORT};
    }

    /** An abort that says why: {@link #REQUIRES_HYBRID} or {@link #REFUSES_HYBRID}. */
    static byte[] abort(int reason) {
        return new byte[] {ABORT, (byte) reason};
    }

    /** An abort's reason byte, 0 when it gives none. */
    int abortReason() {
        return type == ABORT && bytes.length > 1 ? bytes[1] & 0xFF : 0;
    }

    /** Reads a frame's header; the body stays in {@code payload}, which the frame refers to. */
    static ChannelFrame parse(byte[] payload) throws DecodeException {
        if (payload.length == 0) {
            throw new DecodeException("empty channel frame");
        }
        int type = payload[0] & 0xFF;
        switch (type) {
            case HANDSHAKE, X3DH, HYBRID_HANDSHAKE -> {
                return new ChannelFrame(type, 0, payload, 1);
            }
            case DATA -> {
                if (payload.length < DATA_HEADER + 16) {
                    throw new DecodeException("data frame of " + payload.length + " bytes is too short");
                }
                return new ChannelFrame(type, ByteBuffer.wrap(payload, 1, 8).getLong(), payload, DATA_HEADER);
            }
            case ABORT -> {
                return new ChannelFrame(type, 0, payload, payload.length);
            }
            default -> throw new DecodeException("unknown channel frame type " + type);
        }
    }
}
