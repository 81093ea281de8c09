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
    /** {@return the outlet's name: the address inlets name with {@link Inlet.Builder#outlet(String)}} */
    String name();

    /** {@return the target every portal connection connects to ({@code host:port})} */
    String target();

    /** {@return how many portal connections are open now} */
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
        /**
         * The secure-channel listeners whose channels may open portal connections (at least one, checked when the
         * outlet starts).
         *
         * @param listeners the listeners' local addresses, e.g. {@code "secure"}
         * @return this builder
         */
        Builder reachableThrough(String... listeners);

        /**
         * Which authenticated peers may open connections, decided on each connection as the peer's channel knows it
         * then (identifier and current attributes), e.g. {@code Policy.parse("subject.role = \"web\"")}; everyone the
         * listeners accepted by default. A refused peer's inlet is told why.
         *
         * @param policy decides on each connection's peer
         * @return this builder
         */
        Builder trust(TrustPolicy policy);

        /**
         * How long opening a connection to the target may take (10 seconds by default).
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        Builder connectTimeout(Duration timeout);

        /**
         * The most connections the outlet carries at once; more are refused ({@value Portal#DEFAULT_MAX_CONNECTIONS}
         * by default).
         *
         * @param connections at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code connections} is less than 1
         */
        Builder maxConnections(int connections);

        /**
         * The bytes each direction of a connection may have in flight ({@value Portal#DEFAULT_WINDOW} by default).
         *
         * @param bytes {@value Portal#MIN_WINDOW} to {@value Portal#MAX_WINDOW}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is outside those bounds
         */
        Builder window(int bytes);

        /**
         * Starts the outlet at its name on the node. The target is not connected to until a portal connection
         * arrives.
         *
         * @return the running outlet; close it to stop it
         * @throws HopsealException a {@code RoutingException}: {@code INVALID} without listeners or for a target
         *     that is not {@code host:port}, {@code UNAVAILABLE} if the target's host cannot be resolved,
         *     {@code ALREADY_EXISTS} if the name is in use on the node
         * @throws IllegalArgumentException if a listener's address names a transport type above 255
         */
        Outlet start() throws HopsealException;
    }
}
