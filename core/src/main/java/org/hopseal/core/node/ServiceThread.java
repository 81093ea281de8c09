package org.hopseal.core.node;

/**
 * Marks the threads of workers that serve many peers (any worker an application starts, a channel listener): such
 * a thread never waits for one peer. Where another thread would wait for room (a full channel encryptor, a TCP
 * connection whose peer reads slowly, a mailbox whose budget for outside messages is spent), a service thread gets
 * an {@code UNAVAILABLE} error at once and goes on serving the others. Threads dedicated to one peer (a channel's
 * workers, a connection's reader) and the application's own threads wait, which is the backpressure.
 *
 * <p>Thread safety: each thread sees its own mark.
 */
public final class ServiceThread {
    private static final ThreadLocal<Boolean> MARK = new ThreadLocal<>();

    private ServiceThread() {
    }

    /** Marks the calling thread as serving many peers. */
    static void markCurrent() {
        MARK.set(Boolean.TRUE);
    }

    /** Whether the calling thread serves many peers and so must not wait for one. */
    public static boolean isCurrent() {
        return MARK.get() != null;
    }
}
