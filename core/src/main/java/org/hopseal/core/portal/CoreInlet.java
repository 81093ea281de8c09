package org.hopseal.core.portal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.portal.Portal;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.core.channel.KeptChannel;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Backoff;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inlet: a TCP listener, one secure channel to the outlet's node that all its connections share, and a keeper
 * thread that opens a new channel when that one is lost. Each accepted connection waits for a channel (at most
 * {@link #CHANNEL_WAIT}), then becomes a {@link PortalConnection} end.
 *
 * <p>Thread safety: thread safe.
 */
final class CoreInlet implements Inlet {
    /** How long an accepted connection waits for a channel while the inlet opens a new one. */
    static final Duration CHANNEL_WAIT = Duration.ofSeconds(15);
    /** How long an accepted connection waits for the outlet to connect to its target. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));
    private static final Logger LOG = LoggerFactory.getLogger(CoreInlet.class);
    /** What a flood of connections causes: one line per interval. */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.warnings(LOG);
    /** How long the listener rests after a failed accept (out of file descriptors, say) before it tries again. */
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

    private final Node node;
    private final Entity entity;
    /** Routes to the outlet node's listener, tried in order. */
    private final List<Route> listeners;
    private final String outlet;
    private final SecureChannelOptions options;
    private final int window;
    private final int maxConnections;
    private final ServerSocketChannel server;
    private final InetSocketAddress bound;
    private final Set<PortalConnection> connections = ConcurrentHashMap.newKeySet();
    /** Connections accepted and not ended (carried, or waiting for a channel): each takes one of maxConnections. */
    private final AtomicInteger slots = new AtomicInteger();
    private final KeptChannel channel;

    private CoreInlet(Node node, Entity entity, List<Route> listeners, String outlet, SecureChannelOptions options, int window,
            int maxConnections, ServerSocketChannel server) throws IOException {
        this.node = node;
        this.entity = entity;
        this.listeners = listeners;
        this.outlet = outlet;
        this.options = options;
        this.window = window;
        this.maxConnections = maxConnections;
        this.server = server;
        this.bound = (InetSocketAddress) server.getLocalAddress();
        this.channel = new KeptChannel(node, "inlet " + bound + " to outlet " + LogText.of(outlet), this::openByFirstRoute, RETRY,
                () -> LOG.info("inlet {}: secure channel to outlet {} open again", bound, LogText.of(outlet)));
    }

    @Override
    public InetSocketAddress address() {
        return bound;
    }

    @Override
    public Optional<Identifier> peer() {
        return channel.peer();
    }

    @Override
    public int openConnections() {
        return connections.size();
    }

    /** Opens a channel by the first of the routes that works; the last route's failure if none does. */
    private Address openByFirstRoute() throws HopsealException {
        for (int i = 0;; i++) {
            try {
                return entity.createSecureChannel(listeners.get(i), options);
            } catch (HopsealException e) {
                if (i == listeners.size() - 1 || e.kind() == ErrorKind.SHUTDOWN) {
                    throw e;
                }
                LOG.info("inlet {}: cannot open a secure channel by {} ({}); trying {}", bound, LogText.of(listeners.get(i)),
                        LogText.of(e.getMessage()), LogText.of(listeners.get(i + 1)));
            }
        }
    }

    private void acceptConnections() {
        while (true) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                REFUSALS.warn("inlet {}: accept failed: {}", bound, e.getMessage());
                if (!channel.sleep(ACCEPT_BACKOFF)) {
                    return;
                }
                continue;
            }
            if (slots.incrementAndGet() > maxConnections) {
                slots.decrementAndGet();
                REFUSALS.warn("inlet {}: refused a connection: {} are open already", bound, maxConnections);
                closeQuietly(socket);
                continue;
            }
            Thread.ofVirtual().name("hopseal-inlet-connect").start(() -> carry(socket));
        }
    }

    /** Carries one accepted connection (which holds a slot) through the channel, once there is one. */
    private void carry(SocketChannel socket) {
        Address through = channel.awaitChannel(CHANNEL_WAIT).orElse(null);
        if (through == null) {
            REFUSALS.warn("inlet {}: closed a connection: no secure channel to outlet {} within {} s", bound, LogText.of(outlet),
                    CHANNEL_WAIT.toSeconds());
            closeQuietly(socket);
            slots.decrementAndGet();
            return;
        }
        try {
            socket.socket().setTcpNoDelay(true);
        } catch (IOException e) {
            LOG.warn("inlet {}: cannot carry a connection: {}", bound, e.getMessage());
            closeQuietly(socket);
            slots.decrementAndGet();
            return;
        }
        PortalConnection connection = PortalConnection.inletEnd(socket, through, Route.of(through, Address.of(outlet)), window,
                ANSWER_TIMEOUT, this::ended);
        connections.add(connection);
        try {
            connection.start(node);
            if (channel.isClosed()) {
                connection.close("the inlet closed");
            }
        } catch (HopsealException e) {
            LOG.warn("inlet {}: cannot carry a connection: {}", bound, e.getMessage());
        }
    }

    /** A connection's end: it leaves the open set and gives its slot back. */
    private void ended(PortalConnection connection) {
        connections.remove(connection);
        slots.decrementAndGet();
    }

    @Override
    public void close() {
        if (!channel.closeNow()) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("inlet {}: {}", bound, e.getMessage());
        }
        for (PortalConnection c : List.copyOf(connections)) {
            c.close("the inlet closed");
        }
    }

    @Override
    public String toString() {
        return "inlet " + bound + " to outlet " + LogText.of(outlet);
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The builder behind {@link org.hopseal.api.node.HopsealNode#inlet}. */
    static final class Builder implements Inlet.Builder {
        private final Node node;
        private final String from;
        private List<Route> listeners;
        private String outlet;
        private Entity entity;
        private SecureChannelOptions options = SecureChannelOptions.defaults();
        private int window = Portal.DEFAULT_WINDOW;
        private int maxConnections = Portal.DEFAULT_MAX_CONNECTIONS;

        Builder(Node node, String from) {
            this.node = node;
            this.from = Objects.requireNonNull(from, "from");
        }

        @Override
        public Inlet.Builder to(Route listener) {
            return to(List.of(listener));
        }

        @Override
        public Inlet.Builder to(List<Route> listeners) {
            if (listeners.isEmpty()) {
                throw new IllegalArgumentException("an inlet needs at least one route to the outlet node's listener");
            }
            this.listeners = List.copyOf(listeners);
            return this;
        }

        @Override
        public Inlet.Builder outlet(String name) {
            Address.of(name);
            this.outlet = name;
            return this;
        }

        @Override
        public Inlet.Builder entity(Entity entity) {
            this.entity = Objects.requireNonNull(entity, "entity");
            return this;
        }

        @Override
        public Inlet.Builder channelOptions(SecureChannelOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        @Override
        public Inlet.Builder maxConnections(int connections) {
            this.maxConnections = Portals.maxConnections(connections);
            return this;
        }

        @Override
        public Inlet.Builder window(int bytes) {
            this.window = Portals.window(bytes);
            return this;
        }

        @Override
        public Inlet start() throws HopsealException {
            if (listeners == null || outlet == null || entity == null) {
                throw new RoutingException(ErrorKind.INVALID, "an inlet needs the route to the outlet node's listener (to),"
                        + " the outlet's name (outlet) and an identity (entity)");
            }
            InetSocketAddress address = TcpTransport.parse(from);
            PortalMessage.register(node.codecs());
            if (listeners.stream().flatMap(r -> r.addresses().stream()).anyMatch(a -> a.type() == Address.TCP)) {
                TcpTransport.create(node.context());
            }
            ServerSocketChannel server;
            CoreInlet inlet;
            try {
                server = ServerSocketChannel.open();
            } catch (IOException e) {
                throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot listen on " + from + ": " + e.getMessage(), e);
            }
            try {
                inlet = new CoreInlet(node, entity, listeners, outlet, options, window, maxConnections, server.bind(address, 1024));
                inlet.channel.open();
            } catch (IOException e) {
                closeQuietly(server);
                throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot listen on " + from + ": " + e.getMessage(), e);
            } catch (HopsealException | RuntimeException e) {
                closeQuietly(server);
                throw e;
            }
            node.closeOnStop(inlet);
            Thread.ofVirtual().name("hopseal-inlet-accept").start(inlet::acceptConnections);
            inlet.channel.keep("hopseal-inlet-keeper");
            return inlet;
        }

        private static void closeQuietly(ServerSocketChannel server) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
