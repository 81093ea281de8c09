package org.hopseal.core.channel;

import java.util.concurrent.atomic.AtomicLong;
import org.hopseal.core.node.Node;

/**
 * The bytes of partly received fragmented messages that all channels of one node may hold together
 * ({@value #NODE_BYTES}), so that many channels each holding partial messages cannot exhaust the heap.
 *
 * <p>Thread safety: thread safe.
 */
final class ReassemblyBudget {
    /** The most bytes of partial messages one node holds. */
    static final long NODE_BYTES = 256L * 1024 * 1024;

    private final AtomicLong held = new AtomicLong();
    private final long limit;

    ReassemblyBudget(long limit) {
        this.limit = limit;
    }

    /** The budget of {@code node}. */
    static ReassemblyBudget of(Node node) {
        return node.service(ReassemblyBudget.class, () -> new ReassemblyBudget(NODE_BYTES));
    }

    /** Takes {@code bytes} from the budget; {@code false} (and nothing taken) if that would exceed it. */
    boolean take(long bytes) {
        if (held.addAndGet(bytes) <= limit) {
            return true;
        }
        held.addAndGet(-bytes);
        return false;
    }

    void giveBack(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
