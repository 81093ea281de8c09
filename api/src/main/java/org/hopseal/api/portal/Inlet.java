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
    /** Where the inlet listens. */
    InetSocketAddress address();

    /** The identifier the current channel authenticated; empty while the inlet has no channel. */
    Optional<Identifier> peer();

    /** The portal connections open now. */
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
        /** The route to the outlet node's secure-channel listener, e.g. {@code [1#host:port, secure]} (required). */
        Builder to(Route listener);

        /**
         * Routes to the outlet node's listener, tried in order whenever the inlet opens its channel (the first that
         * works is used, so a lost channel is opened again through the next route when the first is down): for
         * relay hosts that all carry the node's registration, say.
         */
        Builder to(List<Route> listeners);

        /** The outlet's name on that node (required). */
        Builder outlet(String name);

        /** The identity that opens the channel (required). */
        Builder entity(Entity entity);

        /** The channel's options: the trust policy that must accept the outlet node, timeouts. */
        Builder channelOptions(SecureChannelOptions options);

        /** The most connections the inlet carries at once; more are closed as they are accepted (10,000 by default). */
        Builder maxConnections(int connections);

        /** The bytes each direction of a connection may have in flight ({@value Portal#DEFAULT_WINDOW} by default). */
        Builder window(int bytes);

        /** Opens the channel, then listens; fails if the channel cannot be opened. */
        Inlet start() throws HopsealException;
    }
}
