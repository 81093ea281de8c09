package org.hopseal.core.portal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.portal.Outlet;
import org.hopseal.api.portal.Portal;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.WorkerOptions;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outlet: a worker at the outlet's name that takes {@link PortalMessage.Connect}s from the channels of its
 * listeners, connects to the target on a thread of its own for each, and starts the connection's
 * {@link PortalConnection} end.
 *
 * <p>Thread safety: thread safe.
 */
final class CoreOutlet implements Outlet, Worker<PortalMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(CoreOutlet.class);
    /** Refusals a peer can cause at will: one line per interval. */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.warnings(LOG);

    private final Node node;
    private final String name;
    private final String target;
    private final Duration connectTimeout;
    private final int window;
    private final int maxConnections;
    private final TrustPolicy policy;
    private final Set<PortalConnection> connections = ConcurrentHashMap.newKeySet();
    /** Connections open or being opened: a Connect takes one, its connection's end (or failure to open) gives it back. */
    private final AtomicInteger slots = new AtomicInteger();
    private volatile boolean closed;

    private CoreOutlet(Node node, String name, String target, Duration connectTimeout, int window, int maxConnections,
            TrustPolicy policy) {
        this.node = node;
        this.policy = policy;
        this.name = name;
        this.target = target;
        this.connectTimeout = connectTimeout;
        this.window = window;
        this.maxConnections = maxConnections;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public int openConnections() {
        return connections.size();
    }

    @Override
    public void handleMessage(Context ctx, Routed<PortalMessage> msg) {
        if (!(msg.body() instanceof PortalMessage.Connect connect)) {
            LOG.debug("outlet {}: ignored {}", name, msg.body().getClass().getSimpleName());
            return;
        }
        if (!(msg.origin() instanceof Origin.Channel from)) {
            REFUSALS.warn("outlet {}: refused a connection that did not come through a secure channel ({})", name, msg.origin());
            return;
        }
        Route reply = msg.returnRoute();
        if (closed) {
            refuse(ctx, reply, "the outlet is closed");
            return;
        }
        // The peer as its channel knows it now, with the attributes its credentials currently vouch for.
        Optional<PeerIdentity> peer = SecureChannelRegistry.of(node).get(from.channel()).flatMap(ChannelInfo::peer);
        if (peer.isEmpty() || !policy.check(peer.get())) {
            refuse(ctx, reply, peer.map(p -> "identity " + p.identifier()).orElse("an unauthenticated peer")
                    + " may not connect to outlet " + name);
            return;
        }
        if (slots.incrementAndGet() > maxConnections) {
            slots.decrementAndGet();
            refuse(ctx, reply, "the outlet carries " + maxConnections + " connections already");
            return;
        }
        // Connecting may take the whole timeout: a thread of its own, so the outlet goes on serving other channels.
        Thread.ofVirtual().name("hopseal-outlet-connect").start(() -> connect(ctx, from.channel(), reply, connect.window()));
    }

    private void connect(Context ctx, Address channel, Route reply, int remoteWindow) {
        SocketChannel socket;
        try {
            socket = open();
        } catch (HopsealException e) {
            slots.decrementAndGet();
            REFUSALS.warn("outlet {}: {}", name, e.getMessage());
            refuse(ctx, reply, e.getMessage());
            return;
        }
        PortalConnection connection = PortalConnection.outletEnd(socket, channel, reply, remoteWindow, window, this::ended);
        connections.add(connection);
        try {
            connection.start(node);
            if (closed) {
                connection.close("the outlet is closed");
            }
        } catch (HopsealException e) {
            refuse(ctx, reply, "the outlet cannot start a connection: " + e.getMessage());
        }
    }

    /** A connection's end: it leaves the open set and gives its slot back. */
    private void ended(PortalConnection connection) {
        connections.remove(connection);
        slots.decrementAndGet();
    }

    private SocketChannel open() throws HopsealException {
        InetSocketAddress address = TcpTransport.parse(target);
        SocketChannel socket = null;
        try {
            socket = SocketChannel.open();
            socket.socket().connect(address, (int) connectTimeout.toMillis());
            socket.socket().setTcpNoDelay(true);
            return socket;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new RoutingException(ErrorKind.TIMEOUT, "connecting to target " + target + " timed out");
        } catch (IOException e) {
            closeQuietly(socket);
            throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot connect to target " + target + ": " + e.getMessage(), e);
        }
    }

    private void refuse(Context ctx, Route reply, String reason) {
        try {
            ctx.send(reply, new PortalMessage.Close(reason));
        } catch (HopsealException e) {
            LOG.debug("outlet {}: cannot refuse: {}", name, e.getMessage());
        }
    }

    @Override
    public void shutdown(Context ctx) {
        closed = true;
        for (PortalConnection c : List.copyOf(connections)) {
            c.close("the outlet closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        node.stopWorker(Address.of(name), "outlet closed");
    }

    @Override
    public String toString() {
        return "outlet " + LogText.of(name) + " to " + LogText.of(target);
    }

    private static void closeQuietly(SocketChannel socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // it failed already
        }
    }

    /** The builder behind {@link org.hopseal.api.node.HopsealNode#outlet}. */
    static final class Builder implements Outlet.Builder {
        private final Node node;
        private final String name;
        private final String target;
        private String[] listeners = new String[0];
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int window = Portal.DEFAULT_WINDOW;
        private int maxConnections = Portal.DEFAULT_MAX_CONNECTIONS;
        private TrustPolicy policy = new TrustEveryonePolicy();

        Builder(Node node, String name, String target) {
            this.node = node;
            this.name = Objects.requireNonNull(name, "name");
            this.target = Objects.requireNonNull(target, "target");
        }

        @Override
        public Outlet.Builder reachableThrough(String... listeners) {
            this.listeners = listeners.clone();
            return this;
        }

        @Override
        public Outlet.Builder trust(TrustPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        @Override
        public Outlet.Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Portals.positive(timeout, "connect timeout");
            return this;
        }

        @Override
        public Outlet.Builder maxConnections(int connections) {
            this.maxConnections = Portals.maxConnections(connections);
            return this;
        }

        @Override
        public Outlet.Builder window(int bytes) {
            this.window = Portals.window(bytes);
            return this;
        }

        @Override
        public Outlet start() throws HopsealException {
            if (listeners.length == 0) {
                throw new RoutingException(ErrorKind.INVALID, "outlet " + LogText.of(name)
                        + " must be reachable through at least one secure-channel listener (reachableThrough)");
            }
            Arrays.stream(listeners).forEach(Address::of);
            TcpTransport.parse(target);
            PortalMessage.register(node.codecs());
            CoreOutlet outlet = new CoreOutlet(node, name, target, connectTimeout, window, maxConnections, policy);
            node.startWorker(Address.of(name), PortalMessage.class, outlet,
                    WorkerOptions.service(Exposure.channelsOf(listeners), AccessControl.allowAll()));
            return outlet;
        }
    }
}
