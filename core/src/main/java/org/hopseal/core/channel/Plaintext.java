package org.hopseal.core.channel;

import java.util.Arrays;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * What a data frame decrypts to. The first byte is the kind:
 * <ul>
 *   <li>{@code 0} message: a BARE {@code TransportMessage} (the rest of the onward route, the return route, the
 *   payload);</li>
 *   <li>{@code 1} fragment: {@code uint seq | uint index | uint count | data chunk} of a message too large for one
 *   Noise message;</li>
 *   <li>{@code 2} confirm: the responder accepted the initiator (sent once, after the last handshake message);</li>
 *   <li>{@code 3} close: the peer closed the channel;</li>
 *   <li>{@code 4} ping: the peer heard nothing for a while and asks for a sign of life;</li>
 *   <li>{@code 5} pong: the answer to a ping.</li>
 * </ul>
 */
record Plaintext(int kind, long seq, int index, int count, byte[] body) {
    static final int MESSAGE = 0;
    static final int FRAGMENT = 1;
    static final int CONFIRM = 2;
    static final int CLOSE = 3;
    static final int PING = 4;
    static final int PONG = 5;
    /** The most plaintext bytes a fragment carries: a Noise message of 65535 bytes less tag, header and frame. */
    static final int MAX_CHUNK = 65_000;

    /** A message plaintext: the kind byte, then {@code message} encoded straight after it. */
    static byte[] message(TransportMessage message) {
        byte[] plaintext = message.encode(1);
        plaintext[0] = MESSAGE;
        return plaintext;
    }

    /** Fragment {@code index} of {@code count}: {@code len} bytes of {@code message} from {@code off}. */
    static byte[] fragment(long seq, int index, int count, byte[] message, int off, int len) {
        int size = 1 + BareWriter.uintSize(seq) + BareWriter.uintSize(index) + BareWriter.uintSize(count) + BareWriter.uintSize(len) + len;
        BareWriter w = new BareWriter(size);
        w.writeU8(FRAGMENT).writeUint(seq).writeUint(index).writeUint(count).writeUint(len).writeFixed(message, off, len);
        return w.toByteArray();
    }

    static byte[] control(int kind) {
        return new byte[] {(byte) kind};
    }

    static Plaintext parse(byte[] plaintext) throws DecodeException {
        if (plaintext.length == 0) {
            throw new DecodeException("empty channel plaintext");
        }
        int kind = plaintext[0] & 0xFF;
        return switch (kind) {
            case MESSAGE -> new Plaintext(kind, 0, 0, 1, Arrays.copyOfRange(plaintext, 1, plaintext.length));
            case FRAGMENT -> {
                BareReader r = new BareReader(plaintext, 1, plaintext.length - 1);
                long seq = r.readUint();
                int index = (int) r.readUint(Reassembler.MAX_FRAGMENTS - 1, "fragment index");
                int count = (int) r.readUint(Reassembler.MAX_FRAGMENTS, "fragment count");
                int length = (int) r.readUint(MAX_CHUNK, "fragment length");
                byte[] chunk = r.readFixed(length);
                r.expectEnd("fragment");
                if (count < 2 || index >= count) {
                    throw new DecodeException("fragment " + index + " of " + count + " is out of range");
                }
                yield new Plaintext(kind, seq, index, count, chunk);
            }
            case CONFIRM, CLOSE, PING, PONG -> new Plaintext(kind, 0, 0, 0, new byte[0]);
            default -> throw new DecodeException("unknown channel plaintext kind " + kind);
        };
    }
}
