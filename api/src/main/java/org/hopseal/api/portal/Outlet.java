package org.hopseal.api.portal;

import java.time.Duration;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.TrustPolicy;

/**
 * The service end of a portal: for each portal connection that arrives through a secure channel, it opens a TCP
 * connection to its target and carries the bytes both ways. Unmodified TCP servers (a database, an HTTP API) are
 * reached through it without exposing their port to the network.
 *
 * <pre>{@code
 * node.outlet("db", "127.0.0.1:5432").reachableThrough("secure").start();
 * }</pre>
 *
 * <p>Default deny: the outlet answers only messages that leave channels accepted by the listeners it is made
 * {@linkplain Builder#reachableThrough reachable through} (whose trust policy authenticated the peer), never raw
 * transport messages; each portal connection answers only the channel that opened it.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.3
 */
public interface Outlet extends AutoCloseable {
    /** The outlet's name: the address inlets name with {@link Inlet.Builder#outlet(String)}. */
    String name();

    /** The target every portal connection connects to ({@code host:port}). */
    String target();

    /** The portal connections open now. */
    int openConnections();

    /** Stops the outlet: its portal connections close and new ones are refused. */
    @Override
    void close();

    /**
     * How an outlet is made.
     *
     * @since 0.3
     */
    interface Builder {
        /** The secure-channel listeners whose channels may open portal connections (at least one). */
        Builder reachableThrough(String... listeners);

        /**
         * Which authenticated peers may open connections, decided on each connection as the peer's channel knows it
         * then (identifier and current attributes), e.g. {@code Policy.parse("subject.role = \"web\"")}; everyone the
         * listeners accepted by default. A refused peer's inlet is told why.
         */
        Builder trust(TrustPolicy policy);

        /** How long opening a connection to the target may take (10 seconds by default). */
        Builder connectTimeout(Duration timeout);

        /** The most connections the outlet carries at once; more are refused (10,000 by default). */
        Builder maxConnections(int connections);

        /** The bytes each direction of a connection may have in flight ({@value Portal#DEFAULT_WINDOW} by default). */
        Builder window(int bytes);

        /** Starts the outlet. */
        Outlet start() throws HopsealException;
    }
}
