package org.hopseal.core.channel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.api.wire.Payloads;

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
 *   <li>{@code 5} pong: the answer to a ping;</li>
 *   <li>{@code 6} credentials: {@code uint n | data credential * n}, what the sender presents now, replacing what it
 *   presented before (a refresh; see {@link PresentedCredentials}).</li>
 * </ul>
 * A parsed plaintext refers to its body where it lies: {@code bodyLength} bytes of {@code bytes} (the decrypted
 * plaintext, never modified) from {@code bodyOffset}.
 */
record Plaintext(int kind, long seq, int index, int count, byte[] bytes, int bodyOffset, int bodyLength) {
    static final int MESSAGE = 0;
    static final int FRAGMENT = 1;
    static final int CONFIRM = 2;
    static final int CLOSE = 3;
    static final int PING = 4;
    static final int PONG = 5;
    static final int CREDENTIALS = 6;
    /** The most plaintext bytes a fragment carries: a Noise message of 65535 bytes less tag, header and frame. */
    static final int MAX_CHUNK = 65_000;

    /**
     * A plaintext in two parts, as the encryptor hands it to the cipher: a head the channel wrote, then
     * {@code length} bytes of {@code body} from {@code offset}, which is a message's payload and never copied.
     */
    record Parts(byte[] head, byte[] body, int offset, int length) {
        private static final byte[] NONE = new byte[0];

        /** A plaintext written whole by the channel. */
        Parts(byte[] whole) {
            this(whole, NONE, 0, 0);
        }

        /** The plaintext's bytes in one array. */
        byte[] toByteArray() {
            byte[] out = Arrays.copyOf(head, head.length + length);
            System.arraycopy(body, offset, out, head.length, length);
            return out;
        }
    }

    /** A message plaintext: the kind byte, then {@code message} encoded straight after it. */
    static Parts message(TransportMessage message) {
        byte[] head = message.encodeHead(1);
        head[0] = MESSAGE;
        ByteBuffer payload = Payloads.view(message);
        return new Parts(head, payload.array(), payload.position(), payload.remaining());
    }

    /**
     * The fragments of {@code message}, which is too large for one Noise message: its encoding cut into chunks of
     * {@link #MAX_CHUNK} bytes, numbered {@code seq}. The encoding's head (routes) is shorter than a chunk, so only
     * the first fragment holds both the head and the payload's start.
     */
    static List<Parts> fragments(long seq, TransportMessage message) {
        byte[] messageHead = message.encodeHead(0);
        ByteBuffer view = Payloads.view(message);
        byte[] payload = view.array();
        int start = view.position();
        int total = messageHead.length + view.remaining();
        int count = (total + MAX_CHUNK - 1) / MAX_CHUNK;
        List<Parts> fragments = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            int chunkStart = index * MAX_CHUNK;
            int chunk = Math.min(MAX_CHUNK, total - chunkStart);
            if (index == 0) {
                byte[] header = fragmentHeader(seq, 0, count, chunk);
                byte[] head = Arrays.copyOf(header, header.length + messageHead.length);
                System.arraycopy(messageHead, 0, head, header.length, messageHead.length);
                fragments.add(new Parts(head, payload, start, chunk - messageHead.length));
            } else {
                fragments.add(new Parts(fragmentHeader(seq, index, count, chunk), payload, start + chunkStart - messageHead.length, chunk));
            }
        }
        return fragments;
    }

    /** The start of fragment {@code index} of {@code count}, whose chunk of {@code length} bytes follows. */
    static byte[] fragmentHeader(long seq, int index, int count, int length) {
        int size = 1 + BareWriter.uintSize(seq) + BareWriter.uintSize(index) + BareWriter.uintSize(count) + BareWriter.uintSize(length);
        return new BareWriter(size).writeU8(FRAGMENT).writeUint(seq).writeUint(index).writeUint(count).writeUint(length).toByteArray();
    }

    /** A credentials plaintext: the kind byte, then {@code presented} (encoded by {@link PresentedCredentials}). */
    static Parts credentials(byte[] presented) {
        byte[] whole = new byte[presented.length + 1];
        whole[0] = CREDENTIALS;
        System.arraycopy(presented, 0, whole, 1, presented.length);
        return new Parts(whole);
    }

    static Parts control(int kind) {
        return new Parts(new byte[] {(byte) kind});
    }

    /** The body's bytes, copied. */
    byte[] body() {
        return Arrays.copyOfRange(bytes, bodyOffset, bodyOffset + bodyLength);
    }

    /** Reads {@code plaintext}, which the result refers to and nobody modifies afterwards. */
    static Plaintext parse(byte[] plaintext) throws DecodeException {
        if (plaintext.length == 0) {
            throw new DecodeException("empty channel plaintext");
        }
        int kind = plaintext[0] & 0xFF;
        return switch (kind) {
            case MESSAGE, CREDENTIALS -> new Plaintext(kind, 0, 0, 0, plaintext, 1, plaintext.length - 1);
            case FRAGMENT -> {
                BareReader r = new BareReader(plaintext, 1, plaintext.length - 1);
                long seq = r.readUint();
                int index = (int) r.readUint(Reassembler.MAX_FRAGMENTS - 1, "fragment index");
                int count = (int) r.readUint(Reassembler.MAX_FRAGMENTS, "fragment count");
                int length = (int) r.readUint(MAX_CHUNK, "fragment length");
                int chunkStart = r.position();
                r.skip(length);
                r.expectEnd("fragment");
                if (count < 2 || index >= count) {
                    throw new DecodeException("fragment " + index + " of " + count + " is out of range");
                }
                yield new Plaintext(kind, seq, index, count, plaintext, chunkStart, length);
            }
            case CONFIRM, CLOSE, PING, PONG -> new Plaintext(kind, 0, 0, 0, plaintext, plaintext.length, 0);
            default -> throw new DecodeException("unknown channel plaintext kind " + kind);
        };
    }
}
