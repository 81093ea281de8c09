package org.hopseal.api.portal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Route;

/**
 * The client end of a portal: a TCP listener whose every accepted connection is carried through one secure channel
 * to an {@link Outlet}, which connects to the service. A client connects to the inlet as if it were the service.
 *
 * <pre>{@code
 * Inlet inlet = node.inlet("127.0.0.1:0")
 *         .to(Route.of(Address.tcp("db.example:4000"), Address.of("secure")))
 *         .outlet("db").entity(me).channelOptions(SecureChannelOptions.defaults().withTrustPolicy(server))
 *         .start();
 * // psql -h 127.0.0.1 -p inlet.address().getPort()
 * }</pre>
 *
 * <p>One channel serves all of the inlet's connections; when it is lost, its connections close and the inlet opens
 * a new channel (connections accepted meanwhile wait for it).
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.3
 */
public interface Inlet extends AutoCloseable {
    /** {@return where the inlet listens, with the port chosen if port 0 was asked for} */
    InetSocketAddress address();

    /** {@return the identifier the current channel authenticated; empty while the inlet has no channel} */
    Optional<Identifier> peer();

    /** {@return how many portal connections are open now} */
    int openConnections();

    /** Stops the inlet: it stops listening, its connections close and its channel closes. */
    @Override
    void close();

    /**
     * How an inlet is made.
     *
     * @since 0.3
     */
    interface Builder {
        /**
         * The route to the outlet node's secure-channel listener (required, or {@link #to(List)}).
         *
         * @param listener e.g. {@code [1#host:port, secure]}
         * @return this builder
         */
        Builder to(Route listener);

        /**
         * Routes to the outlet node's listener, tried in order whenever the inlet opens its channel (the first that
         * works is used, so a lost channel is opened again through the next route when the first is down): for
         * relay hosts that all carry the node's registration, say.
         *
         * @param listeners the routes, the preferred one first; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code listeners} is empty
         */
        Builder to(List<Route> listeners);

        /**
         * The outlet's name on that node (required).
         *
         * @param name the outlet's local address there ({@link Outlet#name()})
         * @return this builder
         * @throws IllegalArgumentException if {@code name} names a transport type above 255
         */
        Builder outlet(String name);

        /**
         * The identity that opens the channel (required).
         *
         * @param entity the identity the outlet node sees
         * @return this builder
         */
        Builder entity(Entity entity);

        /**
         * The channel's options: the trust policy that must accept the outlet node, timeouts
         * ({@link SecureChannelOptions#defaults()} otherwise, which trust every authenticated peer).
         *
         * @param options the channel's options
         * @return this builder
         */
        Builder channelOptions(SecureChannelOptions options);

        /**
         * The most connections the inlet carries at once; more are closed as they are accepted
         * ({@value Portal#DEFAULT_MAX_CONNECTIONS} by default).
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
         * Opens the channel, then listens; fails if the channel cannot be opened. Starts the node's TCP transport if
         * a route goes over TCP.
         *
         * @return the running inlet; close it to stop it
         * @throws HopsealException a {@code RoutingException} {@code INVALID} if the route, outlet or entity is
         *     missing or the listening address is not {@code host:port}, {@code UNAVAILABLE} if it cannot be
         *     listened on; or why the channel could not be opened, as {@code Entity.createSecureChannel} says
         */
        Inlet start() throws HopsealException;
    }
}
