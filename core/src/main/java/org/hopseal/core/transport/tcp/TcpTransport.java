package org.hopseal.core.transport.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.worker.Context;
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
 * frames up to {@link #maxFrameSize()} (16 MiB by default); a larger frame closes the connection with a logged error
 * and is never truncated. Writes happen in the sender's thread, so a slow peer slows its senders (backpressure);
 * nothing queues without bound. A refused or lost connection is a {@code RoutingException} of kind
 * {@code UNAVAILABLE} for the sender; the next send reconnects.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.1
 */
public final class TcpTransport implements TransportRouter {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    /** How long connecting may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Context context;
    private final int maxFrameSize;
    private final Map<Address, TcpConnection> connections = new ConcurrentHashMap<>();
    private final Map<Address, ReentrantLock> connectLocks = new ConcurrentHashMap<>();
    private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private TcpTransport(Context context, int maxFrameSize) {
        this.context = context;
        this.maxFrameSize = maxFrameSize;
    }

    /** The node's TCP transport, created and registered on first use, with the default maximum frame size. */
    public static TcpTransport create(Context ctx) throws HopsealException {
        return create(ctx, TcpFrames.DEFAULT_MAX_FRAME);
    }

    /** The node's TCP transport with a chosen maximum frame size (used when this call creates it). */
    public static TcpTransport create(Context ctx, int maxFrameSize) throws HopsealException {
        Node node = Node.of(ctx);
        Context own = ctx.newContext(Address.random());
        TcpTransport[] created = new TcpTransport[1];
        TcpTransport t = node.service(TcpTransport.class, () -> created[0] = new TcpTransport(own, maxFrameSize));
        if (created[0] == t) {
            node.registerTransport(Address.TCP, t);
        } else if (own instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a detached context closes quietly
            }
        }
        return t;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    Context context() {
        return context;
    }

    /**
     * Listens on {@code hostAndPort} ({@code 127.0.0.1:4000}; port 0 picks a free one) and returns the bound
     * address, with the port actually used.
     */
    public InetSocketAddress listen(String hostAndPort) throws HopsealException {
        InetSocketAddress requested = parse(hostAndPort);
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(requested);
        } catch (IOException e) {
            throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot listen on " + hostAndPort + ": " + e.getMessage(), e);
        }
        servers.add(server);
        Thread.ofVirtual().name("tcp-accept-" + server.getLocalPort()).start(() -> acceptLoop(server));
        return new InetSocketAddress(requested.getAddress(), server.getLocalPort());
    }

    private void acceptLoop(ServerSocket server) {
        while (!closed && !server.isClosed()) {
            try {
                Socket s = server.accept();
                Address peer = Address.tcp(s.getInetAddress().getHostAddress() + ":" + s.getPort());
                TcpConnection c = new TcpConnection(s, peer, this);
                TcpConnection old = connections.put(peer, c);
                if (old != null) {
                    old.close();
                }
                c.startReader();
            } catch (IOException e) {
                if (!closed && !server.isClosed()) {
                    LOG.warn("accepting a connection failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void route(LocalMessage message) throws HopsealException {
        Address hop = message.onwardRoute().next();
        TcpConnection c = connection(hop);
        c.send(message.transportMessage().withOnwardRoute(message.onwardRoute().stepForward()));
    }

    private TcpConnection connection(Address hop) throws HopsealException {
        TcpConnection c = connections.get(hop);
        if (c != null && !c.isClosed()) {
            return c;
        }
        ReentrantLock lock = connectLocks.computeIfAbsent(hop, h -> new ReentrantLock());
        lock.lock();
        try {
            c = connections.get(hop);
            if (c != null && !c.isClosed()) {
                return c;
            }
            if (closed) {
                throw new RoutingException(ErrorKind.SHUTDOWN, "the TCP transport is closed");
            }
            InetSocketAddress target = parse(hop.valueText());
            Socket s = new Socket();
            try {
                s.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                c = new TcpConnection(s, hop, this);
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

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    void forget(TcpConnection c) {
        if (connections.remove(c.address(), c) && !closed) {
            Node.of(context).transportClosed(c.address(), "connection to " + c.address().valueText() + " closed");
        }
    }

    /** The number of open connections. */
    public int connectionCount() {
        return connections.size();
    }

    static InetSocketAddress parse(String hostAndPort) throws RoutingException {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new RoutingException(ErrorKind.INVALID, "'" + hostAndPort + "' is not host:port");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new RoutingException(ErrorKind.INVALID, "'" + hostAndPort + "' has no valid port");
        }
        if (port < 0 || port > 65535) {
            throw new RoutingException(ErrorKind.INVALID, "port " + port + " is out of range");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new RoutingException(ErrorKind.UNAVAILABLE, "cannot resolve host '" + host + "'");
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocket s : servers) {
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
