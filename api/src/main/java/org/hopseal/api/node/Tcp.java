package org.hopseal.api.node;

import java.net.InetSocketAddress;
import org.hopseal.api.error.HopsealException;

/**
 * A node's TCP transport. A route reaches a TCP peer through the address {@code 1#host:port}
 * ({@link org.hopseal.api.routing.Address#tcp}); the connection is made on first use and kept while something runs
 * over it. Every connection is bounded (frame size, queue, idle time, per-host and total counts).
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.2
 */
public interface Tcp {
    /** Accepts connections on {@code host:port} (port 0 picks one) and returns the address bound. */
    InetSocketAddress listen(String hostAndPort) throws HopsealException;

    /** The connections open now, in and out. */
    int connectionCount();
}
