package org.hopseal.core.channel;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hopseal.api.error.DecodeException;

/**
 * Joins the fragments of messages larger than one Noise message. Bounded at every level: each fragment carries at
 * most {@link Plaintext#MAX_CHUNK} bytes (checked when parsed); each message at most {@value #MAX_MESSAGE_BYTES}
 * bytes, counted as its fragments arrive; at most {@value #MAX_PENDING} partial messages and
 * {@value #MAX_CHANNEL_BYTES} bytes per channel (the oldest partial message is dropped first); and the node's
 * {@link ReassemblyBudget} across all channels (a fragment that would exceed it drops its message).
 *
 * <p>Thread safety: not thread safe; owned by one decryptor.
 */
final class Reassembler {
    /** The largest message a channel carries. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 1024;
    static final int MAX_FRAGMENTS = MAX_MESSAGE_BYTES / Plaintext.MAX_CHUNK + 1;
    static final int MAX_PENDING = 4;
    /** The most bytes of partial messages one channel holds. */
    static final long MAX_CHANNEL_BYTES = 2L * MAX_MESSAGE_BYTES;

    private final Map<Long, Partial> pending = new LinkedHashMap<>();
    private final ReassemblyBudget budget;
    private long held;

    Reassembler(ReassemblyBudget budget) {
        this.budget = budget;
    }

    /** One message in progress: its fragments so far (each in its decrypted plaintext) and their total length. */
    private static final class Partial {
        final Plaintext[] parts;
        long bytes;
        int received;

        Partial(int count) {
            parts = new Plaintext[count];
        }
    }

    /** Adds a fragment; returns the whole message once its last fragment arrived, else {@code null}. */
    byte[] add(Plaintext fragment) throws DecodeException {
        Partial p = pending.get(fragment.seq());
        if (p == null) {
            if (pending.size() >= MAX_PENDING) {
                drop(pending.keySet().iterator().next());
            }
            p = new Partial(fragment.count());
            pending.put(fragment.seq(), p);
        }
        if (p.parts.length != fragment.count()) {
            drop(fragment.seq());
            throw new DecodeException("fragments of one message disagree on their count");
        }
        if (p.parts[fragment.index()] != null) {
            throw new DecodeException("fragment " + fragment.index() + " arrived twice");
        }
        int length = fragment.bodyLength();
        if (p.bytes + length > MAX_MESSAGE_BYTES) {
            drop(fragment.seq());
            throw new DecodeException("fragmented message exceeds " + MAX_MESSAGE_BYTES + " bytes");
        }
        makeRoom(fragment.seq(), length);
        if (!budget.take(length)) {
            drop(fragment.seq());
            throw new DecodeException("the node holds " + ReassemblyBudget.NODE_BYTES + " bytes of partial messages already");
        }
        held += length;
        p.bytes += length;
        p.parts[fragment.index()] = fragment;
        if (++p.received < p.parts.length) {
            return null;
        }
        drop(fragment.seq());
        byte[] whole = new byte[(int) p.bytes];
        int at = 0;
        for (Plaintext part : p.parts) {
            System.arraycopy(part.bytes(), part.bodyOffset(), whole, at, part.bodyLength());
            at += part.bodyLength();
        }
        return whole;
    }

    /** Drops the oldest other partial messages until {@code length} more bytes fit in this channel's bound. */
    private void makeRoom(long seq, int length) {
        Iterator<Long> oldest = pending.keySet().iterator();
        while (held + length > MAX_CHANNEL_BYTES && oldest.hasNext()) {
            Long other = oldest.next();
            if (other != seq) {
                Partial p = pending.get(other);
                oldest.remove();
                release(p);
            }
        }
    }

    private void drop(long seq) {
        Partial p = pending.remove(seq);
        if (p != null) {
            release(p);
        }
    }

    private void release(Partial p) {
        held -= p.bytes;
        budget.giveBack(p.bytes);
    }

    /** Gives every partial message's bytes back to the node's budget (the channel is closing). */
    void clear() {
        for (Partial p : pending.values()) {
            release(p);
        }
        pending.clear();
    }

    /** The bytes of partial messages this channel holds. */
    long held() {
        return held;
    }
}
