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
    /**
     * Accepts connections on {@code host:port}. Messages read from them reach only addresses exposed to transports,
     * such as a secure-channel listener.
     *
     * @param hostAndPort where to listen, e.g. {@code "0.0.0.0:4000"}; port 0 picks a free one
     * @return the address bound, with the port chosen
     * @throws HopsealException a {@code RoutingException}: {@code INVALID} if the text is not {@code host:port} or
     *     the port is out of range, {@code UNAVAILABLE} if the host cannot be resolved or the port cannot be bound
     */
    InetSocketAddress listen(String hostAndPort) throws HopsealException;

    /** {@return how many connections are open now, accepted and dialed together} */
    int connectionCount();
}
