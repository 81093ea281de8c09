package org.hopseal.api.node;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of a TCP transport: what any peer can make it hold, and for how long.
 *
 * @param maxFrameSize the largest frame read or written, in bytes (16 MiB and room for routes by default)
 * @param maxConnections the most open connections, accepted and dialed together (1,024)
 * @param maxConnectionsPerHost the most accepted connections from one remote IP address (64)
 * @param idleTimeout how long a connection may carry nothing while no open channel of this node uses it (10 s)
 * @param writeTimeout how long a write may make no progress before its connection is closed (30 s)
 * @param maxQueuedBytes the most bytes queued for one connection by workers that serve many peers (4 MiB; a single
 *     larger frame is always admitted into an empty queue)
 * @param connectTimeout how long connecting to a peer may take (5 s)
 * @since 0.2
 */
public record TcpTransportOptions(int maxFrameSize, int maxConnections, int maxConnectionsPerHost, Duration idleTimeout,
        Duration writeTimeout, int maxQueuedBytes, Duration connectTimeout) {
    /** The default largest frame: 16 MiB of message plus 64 KiB for routes. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024 + 64 * 1024;

    /**
     * Checks that every bound is positive.
     *
     * @throws IllegalArgumentException if a number or duration is zero or negative
     * @throws NullPointerException if a duration is {@code null}
     */
    public TcpTransportOptions {
        positive(maxFrameSize, "maxFrameSize");
        positive(maxConnections, "maxConnections");
        positive(maxConnectionsPerHost, "maxConnectionsPerHost");
        positive(maxQueuedBytes, "maxQueuedBytes");
        positive(idleTimeout, "idleTimeout");
        positive(writeTimeout, "writeTimeout");
        positive(connectTimeout, "connectTimeout");
    }

    /** {@return the defaults listed above} */
    public static TcpTransportOptions defaults() {
        return new TcpTransportOptions(DEFAULT_MAX_FRAME_SIZE, 1024, 64, Duration.ofSeconds(10), Duration.ofSeconds(30),
                4 * 1024 * 1024, Duration.ofSeconds(5));
    }

    /**
     * These options with another largest frame.
     *
     * @param bytes the largest frame read or written, in bytes; a message must fit in one frame with its routes
     * @return new options; these are unchanged
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public TcpTransportOptions withMaxFrameSize(int bytes) {
        return new TcpTransportOptions(bytes, maxConnections, maxConnectionsPerHost, idleTimeout, writeTimeout, maxQueuedBytes,
                connectTimeout);
    }

    /**
     * These options with other connection counts.
     *
     * @param total the most open connections, accepted and dialed together
     * @param perHost the most accepted connections from one remote IP address
     * @return new options; these are unchanged
     * @throws IllegalArgumentException if a count is not positive
     */
    public TcpTransportOptions withMaxConnections(int total, int perHost) {
        return new TcpTransportOptions(maxFrameSize, total, perHost, idleTimeout, writeTimeout, maxQueuedBytes, connectTimeout);
    }

    /**
     * These options with another idle timeout.
     *
     * @param timeout how long a connection may carry nothing while no open channel of this node uses it
     * @return new options; these are unchanged
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public TcpTransportOptions withIdleTimeout(Duration timeout) {
        return new TcpTransportOptions(maxFrameSize, maxConnections, maxConnectionsPerHost, timeout, writeTimeout, maxQueuedBytes,
                connectTimeout);
    }

    /**
     * These options with another write timeout.
     *
     * @param timeout how long a write may make no progress before its connection is closed
     * @return new options; these are unchanged
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public TcpTransportOptions withWriteTimeout(Duration timeout) {
        return new TcpTransportOptions(maxFrameSize, maxConnections, maxConnectionsPerHost, idleTimeout, timeout, maxQueuedBytes,
                connectTimeout);
    }

    /**
     * These options with another bound on a connection's queue.
     *
     * @param bytes the most bytes queued for one connection by workers that serve many peers
     * @return new options; these are unchanged
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public TcpTransportOptions withMaxQueuedBytes(int bytes) {
        return new TcpTransportOptions(maxFrameSize, maxConnections, maxConnectionsPerHost, idleTimeout, writeTimeout, bytes,
                connectTimeout);
    }

    /**
     * These options with another bound on connecting to a peer.
     *
     * @param timeout how long connecting to a peer may take
     * @return new options; these are unchanged
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws NullPointerException if {@code timeout} is {@code null}
     */
    public TcpTransportOptions withConnectTimeout(Duration timeout) {
        return new TcpTransportOptions(maxFrameSize, maxConnections, maxConnectionsPerHost, idleTimeout, writeTimeout, maxQueuedBytes,
                timeout);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
