package org.hopseal.core.portal;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of one portal connection: a TCP socket, a worker that takes the other end's {@link PortalMessage}s from
 * the secure channel and writes their bytes to the socket, and a thread that reads the socket and sends its bytes.
 *
 * <p>Flow control: each end announces the window it receives ({@link PortalMessage.Connect},
 * {@link PortalMessage.Connected}); an end sends at most the other's window of bytes that the other has not yet written
 * to its socket, each message costing at least 1/{@value #MESSAGES_PER_WINDOW} of the window (so tiny writes cannot
 * fill the receiver's mailbox either); the writer returns {@link PortalMessage.Credit} for every quarter of its window
 * it writes. So a slow socket holds at most a window on the path and stops the other end's reading, which stops its
 * socket's peer; the other
 * connections of the channel go on.
 *
 * <p>Ending: an end that reads the end of its socket's stream sends {@link PortalMessage.End}, and the other shuts
 * its socket's writing side (a half-close); once both directions ended, both close. A read or write failure sends
 * {@link PortalMessage.Close} and resets the socket; so does the other end's Close, the end of the channel, and the
 * end of the node.
 *
 * <p>Thread safety: the worker's methods run on its thread; the reader thread shares only the locked credit and the
 * atomic state.
 */
final class PortalConnection implements Worker<LocalMessage> {
    /** The most bytes one {@link PortalMessage.Data} carries: with its routes, it fits one channel frame. */
    static final int CHUNK = 60 * 1024;
    /** The most Data messages one window admits: each costs at least window / this. */
    static final int MESSAGES_PER_WINDOW = 1024;
    /** The most messages that may wait for the worker: a window's Data messages and their credits, with room to spare. */
    private static final int MAILBOX = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(PortalConnection.class);
    private static final PortalMessage.Codec CODEC = new PortalMessage.Codec();
    /** What the other end causes at will (refusals, closes): one line per interval. */
    private static final RateLimitedLog ENDINGS = RateLimitedLog.warnings(LOG);

    private final SocketChannel socket;
    private final Address channel;
    /** What this end receives in flight. */
    private final int window;
    private final Duration connectTimeout;
    private final Route connectTo;
    private final Consumer<PortalConnection> onEnd;
    private final String name;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Set once: the route to the other end. Guarded by {@link #lock}. */
    private Route remote;
    /** The other end's window, once known (0 before). Guarded by {@link #lock}. */
    private int sendWindow;
    /** The bytes this end may still send. Guarded by {@link #lock}. */
    private int credit;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The node's meters, once this end counts as open. */
    private NodeMetrics metrics;
    /** Directions that ended normally: this end's reading, the other end's. Both: the connection closes. */
    private final AtomicInteger endedDirections = new AtomicInteger();

    /** Owned by the worker's thread. */
    private long unacknowledged;
    private long received;
    private volatile Context ctx;
    private Runnable unlistenChannel = () -> { };

    private PortalConnection(SocketChannel socket, Address channel, Route remote, int sendWindow, Route connectTo, int window,
            Duration connectTimeout, Consumer<PortalConnection> onEnd, String name) {
        this.socket = socket;
        this.channel = channel;
        this.remote = remote;
        this.connectTo = connectTo;
        this.window = window;
        this.sendWindow = sendWindow;
        this.credit = sendWindow;
        this.connectTimeout = connectTimeout;
        this.onEnd = onEnd;
        this.name = name;
    }

    /**
     * The inlet's end of a connection accepted on {@code socket}: once {@linkplain #start started}, it asks the outlet
     * at {@code outlet} (a route through {@code channel}) to connect, and closes the socket if no answer comes within
     * {@code connectTimeout}. {@code onEnd} runs once when it ends.
     */
    static PortalConnection inletEnd(SocketChannel socket, Address channel, Route outlet, int window, Duration connectTimeout,
            Consumer<PortalConnection> onEnd) {
        return new PortalConnection(socket, channel, null, 0, outlet, window, connectTimeout, onEnd,
                "inlet connection from " + peerOf(socket));
    }

    /**
     * The outlet's end of a connection to its target on {@code socket}, answering the inlet's end at {@code remote},
     * whose window is {@code remoteWindow}.
     */
    static PortalConnection outletEnd(SocketChannel socket, Address channel, Route remote, int remoteWindow, int window,
            Consumer<PortalConnection> onEnd) {
        return new PortalConnection(socket, channel, remote, remoteWindow, null, window, Duration.ZERO, onEnd,
                "outlet connection to " + peerOf(socket));
    }

    /** Starts the end's worker on {@code node}; if it cannot start, the socket is reset and {@code onEnd} runs. */
    void start(Node node) throws HopsealException {
        PortalMessage.register(node.codecs());
        try {
            node.startWorker(Address.random(), LocalMessage.class, this, WorkerOptions.dedicated(Exposure.through(channel), MAILBOX));
        } catch (HopsealException | RuntimeException e) {
            closeSocket(true);
            onEnd.accept(this);
            throw e;
        }
    }

    /** Closes the connection from its owner's side (the inlet or outlet closes), telling the other end. */
    void close(String reason) {
        abort(reason, true);
    }

    @Override
    public void initialize(Context ctx) throws Exception {
        this.ctx = ctx;
        unlistenChannel = SecureChannelRegistry.of(Node.of(ctx)).onClose(channel, () -> abort("its secure channel closed", false));
        if (!closed.get()) {
            if (connectTo != null) {
                ctx.send(connectTo, new PortalMessage.Connect(window));
            } else {
                ctx.send(remote, new PortalMessage.Connected(window));
            }
            Thread.ofVirtual().name("hopseal-portal-reader").start(this::readSocket);
        }
        // Counted once initialize succeeded: only then does shutdown run, which counts the end.
        metrics = Node.of(ctx).metrics();
        metrics.portalOpened();
    }

    /**
     * Takes one message of the other end. The worker sees messages whole (not decoded by the node) so that an error
     * reply (the outlet's node refused the Connect: no such outlet, not exposed to this channel) ends the connection
     * at once, with its reason, instead of after the answer timeout.
     */
    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) {
        if (closed.get()) {
            return;
        }
        LocalMessage message = msg.body();
        ByteBuffer payload = Payloads.view(message.transportMessage());
        PortalMessage body;
        try {
            if (!message.origin().isLocal() && RoutingError.isRoutingError(payload)) {
                String reason = RoutingError.decode(Payloads.of(message.transportMessage())).reason();
                ENDINGS.warn("{} refused by the outlet's node: {}", name, LogText.of(reason));
                abort(reason, false);
                return;
            }
            body = CODEC.decode(payload);
        } catch (DecodeException e) {
            abort("a malformed portal message: " + e.getMessage(), true);
            return;
        }
        switch (body) {
            case PortalMessage.Connected c -> connected(message.returnRoute(), c.window());
            case PortalMessage.Data d -> write(d);
            case PortalMessage.Credit c -> addCredit(c.bytes());
            case PortalMessage.End e -> ended();
            case PortalMessage.Close c -> {
                ENDINGS.warn("{} closed by the other end: {}", name, LogText.of(c.reason()));
                abort(c.reason(), false);
            }
            case PortalMessage.Connect c -> abort("unexpected Connect", true);
        }
    }

    /** The other end's socket will read no more: this end's socket writes no more. */
    private void ended() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            abort("ending " + name + " failed: " + e.getMessage(), true);
            return;
        }
        directionEnded();
    }

    @Override
    public void shutdown(Context ctx) {
        abort("its node stopped", false);
        unlistenChannel.run();
        onEnd.accept(this);
        if (metrics != null) {
            metrics.portalClosed();
        }
    }

    private void connected(Route returnRoute, int remoteWindow) {
        lock.lock();
        try {
            if (remote == null) {
                remote = returnRoute;
                sendWindow = remoteWindow;
                credit = remoteWindow;
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        abort("unexpected Connected", true);
    }

    private void write(PortalMessage.Data data) {
        if (remoteRoute() == null) {
            abort("data before the connection was made", false);
            return;
        }
        received += cost(data.length(), window);
        if (received - unacknowledged > window) {
            abort("the other end sent more than its window", true);
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(data.bytes(), data.offset(), data.length());
        try {
            while (bytes.hasRemaining()) {
                socket.write(bytes);
            }
        } catch (IOException e) {
            abort("writing to " + name + " failed: " + e.getMessage(), true);
            return;
        }
        int owed = (int) (received - unacknowledged);
        if (owed >= window / 4) {
            unacknowledged = received;
            send(new PortalMessage.Credit(owed));
        }
    }

    private void addCredit(int bytes) {
        lock.lock();
        try {
            credit = (int) Math.min(sendWindow, (long) credit + bytes);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The reader thread: waits for the other end, then reads the socket while credit allows. */
    private void readSocket() {
        if (!awaitRemote()) {
            abort("the outlet did not answer within " + connectTimeout.toMillis() + " ms", false);
            return;
        }
        // Direct: the socket reads into it without the JDK's own copy, and the message is made from it in one copy.
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        try {
            while (!closed.get()) {
                int allowed = awaitCredit();
                if (allowed == 0) {
                    return;
                }
                buffer.clear().limit(Math.min(allowed, CHUNK));
                int n = socket.read(buffer);
                if (n < 0) {
                    send(new PortalMessage.End());
                    directionEnded();
                    return;
                }
                takeCredit(n);
                if (!sendData(PortalMessage.Data.encode(buffer.flip()))) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!closed.get()) {
                abort("reading from " + name + " failed: " + e.getMessage(), true);
            }
        }
    }

    private boolean awaitRemote() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + connectTimeout.toNanos();
            while (remote == null && !closed.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return remote != null && !closed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until this end may send a message (its credit covers the least a message costs); 0 once closed. */
    private int awaitCredit() {
        lock.lock();
        try {
            while (credit < cost(1, sendWindow) && !closed.get()) {
                changed.await(1, TimeUnit.SECONDS);
            }
            return closed.get() ? 0 : credit;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private void takeCredit(int bytes) {
        lock.lock();
        try {
            credit -= cost(bytes, sendWindow);
        } finally {
            lock.unlock();
        }
    }

    /** What a message of {@code length} bytes costs against a window of {@code window}. */
    static int cost(int length, int window) {
        return Math.max(length, window / MESSAGES_PER_WINDOW);
    }

    private Route remoteRoute() {
        lock.lock();
        try {
            return remote;
        } finally {
            lock.unlock();
        }
    }

    /** Sends to the other end; a failure (the channel is gone or refuses) closes the connection. */
    private boolean send(PortalMessage message) {
        try {
            ctx.send(remoteRoute(), message);
            return true;
        } catch (HopsealException e) {
            abort("cannot reach the other end: " + e.getMessage(), false);
            return false;
        }
    }

    /** Sends an encoded {@link PortalMessage.Data} as it is (no codec, no copy); a failure closes the connection. */
    private boolean sendData(byte[] message) {
        try {
            ctx.forward(new LocalMessage(TransportMessage.wrap(remoteRoute(), Route.of(ctx.address()), message)));
            return true;
        } catch (HopsealException e) {
            abort("cannot reach the other end: " + e.getMessage(), false);
            return false;
        }
    }

    private void directionEnded() {
        if (endedDirections.incrementAndGet() == 2 && closed.compareAndSet(false, true)) {
            closeSocket(false);
            stopWorker();
        }
    }

    /** Closes the connection at once: tells the other end why (if {@code tell}), resets the socket, stops the worker. */
    private void abort(String reason, boolean tell) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("{} closes: {}", name, reason);
        Route to = remoteRoute();
        if (tell && to != null) {
            try {
                ctx.send(to, new PortalMessage.Close(reason));
            } catch (HopsealException e) {
                LOG.debug("{}: cannot tell the other end: {}", name, e.getMessage());
            }
        }
        closeSocket(true);
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        stopWorker();
    }

    private void stopWorker() {
        Context c = ctx;
        if (c == null) {
            return;
        }
        try {
            c.stopWorker(c.address());
        } catch (HopsealException e) {
            LOG.debug("{}: {}", name, e.getMessage());
        }
    }

    private void closeSocket(boolean reset) {
        try {
            if (reset && socket.isOpen()) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            LOG.debug("{}: {}", name, e.getMessage());
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("{}: {}", name, e.getMessage());
        }
    }

    private static String peerOf(SocketChannel socket) {
        try {
            return String.valueOf(socket.getRemoteAddress());
        } catch (IOException e) {
            return "a closed socket";
        }
    }
}
