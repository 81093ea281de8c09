package org.hopseal.core.channel;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hopseal.api.error.DecodeException;

/**
 * Joins the fragments of messages larger than one Noise message. Bounded: at most {@value #MAX_PENDING} messages
 * in progress and {@value #MAX_MESSAGE_BYTES} bytes per message; the oldest partial message is dropped first.
 *
 * <p>Thread safety: not thread safe; owned by one decryptor.
 */
final class Reassembler {
    /** The largest message a channel carries. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 1024;
    static final int MAX_FRAGMENTS = MAX_MESSAGE_BYTES / Plaintext.MAX_CHUNK + 1;
    static final int MAX_PENDING = 4;

    private final Map<Long, byte[][]> pending = new LinkedHashMap<>();

    /** Adds a fragment; returns the whole message once its last fragment arrived, else {@code null}. */
    byte[] add(Plaintext fragment) throws DecodeException {
        byte[][] parts = pending.get(fragment.seq());
        if (parts == null) {
            if (pending.size() >= MAX_PENDING) {
                Long oldest = pending.keySet().iterator().next();
                pending.remove(oldest);
            }
            parts = new byte[fragment.count()][];
            pending.put(fragment.seq(), parts);
        }
        if (parts.length != fragment.count()) {
            pending.remove(fragment.seq());
            throw new DecodeException("fragments of one message disagree on their count");
        }
        parts[fragment.index()] = fragment.body();
        long total = 0;
        for (byte[] p : parts) {
            if (p == null) {
                return null;
            }
            total += p.length;
        }
        pending.remove(fragment.seq());
        if (total > MAX_MESSAGE_BYTES) {
            throw new DecodeException("reassembled message exceeds " + MAX_MESSAGE_BYTES + " bytes");
        }
        byte[] whole = new byte[(int) total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, whole, at, p.length);
            at += p.length;
        }
        return whole;
    }
}
