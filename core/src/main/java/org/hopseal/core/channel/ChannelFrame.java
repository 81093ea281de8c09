package org.hopseal.core.channel;

import java.nio.ByteBuffer;
import org.hopseal.api.error.DecodeException;

/**
 * The payloads a channel end sends to its peer's decryptor. The first byte is the type:
 * <ul>
 *   <li>{@code 0} handshake: a Noise handshake message follows;</li>
 *   <li>{@code 1} data: an 8-byte big-endian nonce, then the AEAD ciphertext of a {@link Plaintext};</li>
 *   <li>{@code 2} abort: the sender gave up the handshake (honoured only while handshaking);</li>
 *   <li>{@code 3} X3DH: an X3DH handshake message follows (bundle request, bundle, initial message).</li>
 * </ul>
 */
record ChannelFrame(int type, long nonce, byte[] body) {
    static final int HANDSHAKE = 0;
    static final int DATA = 1;
    static final int ABORT = 2;
    static final int X3DH = 3;

    static byte[] handshake(byte[] noiseMessage) {
        byte[] out = new byte[1 + noiseMessage.length];
        out[0] = HANDSHAKE;
        System.arraycopy(noiseMessage, 0, out, 1, noiseMessage.length);
        return out;
    }

    static byte[] data(long nonce, byte[] ciphertext) {
        return ByteBuffer.allocate(9 + ciphertext.length).put((byte) DATA).putLong(nonce).put(ciphertext).array();
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

    static ChannelFrame parse(byte[] payload) throws DecodeException {
        if (payload.length == 0) {
            throw new DecodeException("empty channel frame");
        }
        int type = payload[0] & 0xFF;
        switch (type) {
            case HANDSHAKE, X3DH -> {
                return new ChannelFrame(type, 0, java.util.Arrays.copyOfRange(payload, 1, payload.length));
            }
            case DATA -> {
                if (payload.length < 9 + 16) {
                    throw new DecodeException("data frame of " + payload.length + " bytes is too short");
                }
                long nonce = ByteBuffer.wrap(payload, 1, 8).getLong();
                return new ChannelFrame(type, nonce, java.util.Arrays.copyOfRange(payload, 9, payload.length));
            }
            case ABORT -> {
                return new ChannelFrame(type, 0, new byte[0]);
            }
            default -> throw new DecodeException("unknown channel frame type " + type);
        }
    }
}
