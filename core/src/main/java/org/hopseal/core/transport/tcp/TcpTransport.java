package org.hopseal.core.transport.tcp;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.node.Tcp;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.Context;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.TransportRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP transport (address type 1, {@code 1#host:port}). Routes name TCP hops by {@code host:port}; the first
 * message to a peer connects, later ones reuse the connection. The receiving side prepends the connection's address
 * to the return route, so replies find their way back over the same connection.
 *
 * <pre>{@code
 * TcpTransport tcp = TcpTransport.create(ctx);
 * tcp.listen("127.0.0.1:4000");
 * ctx.send(Route.of(Address.tcp("127.0.0.1:4000"), Address.of("echoer")), "Hello");
 * }</pre>
 *
 * <p>Wire format: a protocol-version byte from each side, then u32 big-endian length + BARE {@code TransportMessage}
 * frames up to {@link TcpTransportOptions#maxFrameSize()} (16 MiB by default); a larger frame closes the connection
 * with a logged error and is never truncated. A refused or lost connection is a {@code RoutingException} of kind
 * {@code UNAVAILABLE} for the sender; the next send reconnects.
 *
 * <p>What a peer can reach: messages read from a connection enter the node as {@code Origin.Transport} and reach only
 * addresses exposed to transports (a secure-channel listener, by default nothing else); they go on to another
 * connection only if the node forwards. Everything a peer can make the transport hold is bounded
 * ({@link TcpTransportOptions}): connections in total and per remote address, an idle timeout for connections no
 * channel uses, a write timeout, the bytes queued per connection and the frame size.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.1
 */
public final class TcpTransport implements TransportRouter, Tcp {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    /** Connect locks are striped, so their number stays fixed whatever addresses peers name. */
    private static final int CONNECT_LOCK_STRIPES = 64;

    private final Node node;
    private final TcpTransportOptions options;
    private final Map<Address, TcpConnection> connections = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> inboundPerHost = new ConcurrentHashMap<>();
    private final ReentrantLock[] connectLocks = new ReentrantLock[CONNECT_LOCK_STRIPES];
    private final List<ServerSocketChannel> servers = new CopyOnWriteArrayList<>();
    private final RateLimitedLog warnings = RateLimitedLog.warnings(LOG);
    private final Thread watchdog;
    private volatile boolean closed;

    private TcpTransport(Node node, TcpTransportOptions options) {
        this.node = node;
        this.options = options;
        for (int i = 0; i < connectLocks.length; i++) {
            connectLocks[i] = new ReentrantLock();
        }
        this.watchdog = Thread.ofVirtual().name("tcp-watchdog").unstarted(this::watch);
    }

    /** The node's TCP transport, created and registered on first use, with the default options. */
    public static TcpTransport create(Context ctx) throws HopsealException {
        return create(ctx, TcpTransportOptions.defaults());
    }

    /** The node's TCP transport with a chosen maximum frame size (used when this call creates it). */
    public static TcpTransport create(Context ctx, int maxFrameSize) throws HopsealException {
        return create(ctx, TcpTransportOptions.defaults().withMaxFrameSize(maxFrameSize));
    }

    /** The node's TCP transport with chosen options (used when this call creates it). */
    public static TcpTransport create(Context ctx, TcpTransportOptions options) throws HopsealException {
        Node node = Node.of(ctx);
        TcpTransport[] created = new TcpTransport[1];
        TcpTransport t = node.service(TcpTransport.class, () -> created[0] = new TcpTransport(node, options));
        if (created[0] == t) {
            node.registerTransport(Address.TCP, t);
            t.watchdog.start();
        }
        return t;
    }

    public TcpTransportOptions options() {
        return options;
    }

    /** The largest frame this transport reads or writes. */
    public int maxFrameSize() {
        return options.maxFrameSize();
    }

    Node node() {
        return node;
    }

    RateLimitedLog warnings() {
        return warnings;
    }

    /**
     * Listens on {@code hostAndPort} ({@code 127.0.0.1:4000}; port 0 picks a free one) and returns the bound
     * address, with the port actually used.
     */
    @Override
    public InetSocketAddress listen(String hostAndPort) throws HopsealException {
        InetSocketAddress requested = parse(hostAndPort);
        ServerSocketChannel server;
        int port;
        try {
            server = ServerSocketChannel.open();
            try {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(requested);
                port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            } catch (IOException e) {
                closeQuietly(server);
                throw e;
            }
        } catch (IOException e) {
            throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot listen on " + hostAndPort + ": " + e.getMessage(), e);
        }
        servers.add(server);
        Thread.ofVirtual().name("tcp-accept-" + port).start(() -> acceptLoop(server));
        return new InetSocketAddress(requested.getAddress(), port);
    }

    private void acceptLoop(ServerSocketChannel server) {
        while (!closed && server.isOpen()) {
            SocketChannel s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed && server.isOpen()) {
                    warnings.warn("accepting a connection failed: {}", e.toString());
                }
                continue;
            }
            accept(s);
        }
    }

    private void accept(SocketChannel s) {
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) s.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(s);
            LOG.debug("a new connection ended before it was accepted: {}", e.toString());
            return;
        }
        InetAddress host = remote.getAddress();
        if (connections.size() >= options.maxConnections() || !admitInbound(host)) {
            warnings.warn("refused a connection from {}: {} connections open, {} from that address (limits {} and {})",
                    host.getHostAddress(), connections.size(), inboundPerHost.getOrDefault(host, 0), options.maxConnections(),
                    options.maxConnectionsPerHost());
            closeQuietly(s);
            return;
        }
        Address peer = Address.tcp(host.getHostAddress() + ":" + remote.getPort());
        TcpConnection c;
        try {
            c = new TcpConnection(s, peer, true, this);
        } catch (IOException e) {
            releaseInbound(host);
            closeQuietly(s);
            LOG.debug("a new connection from {} failed: {}", peer, e.toString());
            return;
        }
        TcpConnection old = connections.put(peer, c);
        if (old != null) {
            old.close();
        }
        c.startReader();
    }

    private boolean admitInbound(InetAddress host) {
        boolean[] admitted = new boolean[1];
        inboundPerHost.compute(host, (h, n) -> {
            int count = n == null ? 0 : n;
            admitted[0] = count < options.maxConnectionsPerHost();
            return admitted[0] ? count + 1 : n;
        });
        return admitted[0];
    }

    private void releaseInbound(InetAddress host) {
        inboundPerHost.computeIfPresent(host, (h, n) -> n <= 1 ? null : n - 1);
    }

    @Override
    public void route(LocalMessage message) throws HopsealException {
        connectionFor(message).send(stepped(message));
    }

    @Override
    public void routeTogether(List<LocalMessage> messages) throws HopsealException {
        List<TransportMessage> stepped = new ArrayList<>(messages.size());
        for (LocalMessage message : messages) {
            stepped.add(stepped(message));
        }
        connectionFor(messages.get(0)).sendTogether(stepped);
    }

    /** The open connection to {@code message}'s next address, connecting if the message may. */
    private TcpConnection connectionFor(LocalMessage message) throws HopsealException {
        Address hop = message.onwardRoute().next();
        TcpConnection c = connections.get(hop);
        if (c == null || c.isClosed()) {
            if (!message.origin().isLocal() && !node.forwarding().mayConnect(hop)) {
                throw new RoutingException(ErrorKind.UNTRUSTED, "this node does not forward to " + LogText.of(hop));
            }
            c = connect(hop);
        }
        return c;
    }

    /** {@code message} as it crosses the connection: its onward route past the connection's address. */
    private static TransportMessage stepped(LocalMessage message) {
        return message.transportMessage().withOnwardRoute(message.onwardRoute().stepForward());
    }

    @Override
    public void routeOverOpenConnection(LocalMessage message) throws HopsealException {
        Address hop = message.onwardRoute().next();
        TcpConnection c = connections.get(hop);
        if (c == null || c.isClosed()) {
            throw new RoutingException(ErrorKind.UNAVAILABLE, "connection " + LogText.of(hop) + " is closed");
        }
        c.sendWaiting(stepped(message));
    }

    @Override
    public void reply(LocalMessage message) throws HopsealException {
        TcpConnection c = connections.get(message.onwardRoute().next());
        if (c != null && !c.isClosed()) {
            c.sendQueued(stepped(message));
        }
    }

    private TcpConnection connect(Address hop) throws HopsealException {
        InetSocketAddress target = parse(hop.valueText());
        ReentrantLock lock = connectLocks[Math.floorMod(hop.hashCode(), CONNECT_LOCK_STRIPES)];
        lock.lock();
        try {
            TcpConnection c = connections.get(hop);
            if (c != null && !c.isClosed()) {
                return c;
            }
            if (closed) {
                throw new RoutingException(ErrorKind.SHUTDOWN, "the TCP transport is closed");
            }
            if (connections.size() >= options.maxConnections()) {
                throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot connect to " + hop.valueText() + ": "
                        + options.maxConnections() + " connections are open already");
            }
            SocketChannel s;
            try {
                s = SocketChannel.open();
            } catch (IOException e) {
                throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot connect to " + hop.valueText() + ": " + e.getMessage(), e);
            }
            try {
                // The channel's socket adaptor connects with a timeout, which the channel itself cannot.
                s.socket().connect(target, Math.clamp(options.connectTimeout().toMillis(), 1, Integer.MAX_VALUE));
                c = new TcpConnection(s, hop, false, this);
            } catch (SocketTimeoutException e) {
                closeQuietly(s);
                throw new RoutingException(ErrorKind.TIMEOUT, "connecting to " + hop.valueText() + " timed out");
            } catch (IOException e) {
                closeQuietly(s);
                throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot connect to " + hop.valueText() + ": " + e.getMessage(), e);
            }
            connections.put(hop, c);
            c.startReader();
            return c;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes connections whose write made no progress for the write timeout, and connections that carried nothing
     * for the idle timeout while no open channel of this node uses them.
     */
    private void watch() {
        Duration tick = Duration.ofMillis(Math.max(10, Math.min(1000,
                Math.min(options.idleTimeout().toMillis(), options.writeTimeout().toMillis()) / 4)));
        while (!closed) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (TcpConnection c : connections.values()) {
                if (c.isWriteStalled(now, options.writeTimeout())) {
                    warnings.warn("closing connection {}: a write made no progress for {}", c.address(), options.writeTimeout());
                    c.close();
                } else if (c.isIdle(now, options.idleTimeout()) && !node.isTransportInUse(c.address())) {
                    LOG.debug("closing connection {}: idle for {} and no channel uses it", c.address(), options.idleTimeout());
                    c.close();
                }
            }
        }
    }

    private static void closeQuietly(Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    void forget(TcpConnection c) {
        boolean[] removed = new boolean[1];
        connections.computeIfPresent(c.address(), (address, current) -> {
            if (current != c) {
                return current;
            }
            if (c.isInbound()) {
                // Within the removal, so that once the connection count drops, its host's place is free too.
                releaseInbound(c.remoteHost());
            }
            removed[0] = true;
            return null;
        });
        if (removed[0] && !closed) {
            node.transportClosed(c.address(), "connection to " + c.address().valueText() + " closed");
        }
    }

    /** The number of open connections. */
    @Override
    public int connectionCount() {
        return connections.size();
    }

    /** The socket address of {@code host:port} ({@code [v6]:port} too), resolved now; a clear error if it is not one. */
    public static InetSocketAddress parse(String hostAndPort) throws RoutingException {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new RoutingException(ErrorKind.INVALID, "'" + LogText.of(hostAndPort) + "' is not host:port");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new RoutingException(ErrorKind.INVALID, "'" + LogText.of(hostAndPort) + "' has no valid port");
        }
        if (port < 0 || port > 65535) {
            throw new RoutingException(ErrorKind.INVALID, "port " + port + " is out of range");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot resolve host '" + LogText.of(host) + "'");
        }
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        for (ServerSocketChannel s : servers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (TcpConnection c : new ArrayList<>(connections.values())) {
            c.close();
        }
    }
}
