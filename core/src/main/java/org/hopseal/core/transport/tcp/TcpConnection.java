package org.hopseal.core.transport.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.core.log.LogText;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.core.node.ServiceThread;
import org.hopseal.core.transport.tcp.FrameReader.FrameTooLargeException;
import org.hopseal.core.transport.tcp.TcpFrames.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection.
 *
 * <p>Writing: one writer thread per connection takes every frame queued since its last write and writes them in one
 * gathering write ({@link FrameWriter}), so a burst of small frames leaves in one system call. The queue holds at most
 * {@link TcpTransportOptions#maxQueuedBytes()} (a frame being written counts until the socket takes it); when it is
 * full, a thread dedicated to one peer (a channel's worker, the application's own thread) waits for room, which is the
 * backpressure, until the connection closes; a {@link ServiceThread} is refused with {@code UNAVAILABLE} at once; a
 * connection's reader that relays a frame waits only while the writes make progress, so it never waits on a write that
 * needs it (a connection to this node itself, or two forwarding nodes relaying to each other) for more than
 * {@link #STALLED}. A write that makes no progress for the write timeout closes the connection (the transport watches).
 *
 * <p>A frame that gains nothing from gathering saves the hand-off: a dedicated thread whose frame finds the queue
 * empty and the writer idle writes it itself if it is at least {@link #LARGE_FRAME} bytes (one system call's worth)
 * or no other small frame was sent within {@link #BURST_GAP} (request and reply traffic); the small frames of a
 * burst go to the writer, which gathers them. The frames of a message too large for one channel frame
 * ({@link #sendTogether}) leave in one gathering write.
 *
 * <p>Reading: one virtual thread reads frames ({@link FrameReader}: many per read, decoded where they lie in its
 * buffer) and routes them into the node as {@link Origin.Transport} messages, with this connection's address
 * prepended to the return route.
 */
final class TcpConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
    /** Frames closer together than this are a burst, left to the writer thread to gather. */
    static final Duration BURST_GAP = Duration.ofNanos(50_000);
    /** A frame this large fills a system call on its own: gathering it with others saves nothing. */
    static final int LARGE_FRAME = 32 * 1024;
    /** How long a write may be stuck before a relaying reader stops waiting for room behind it. */
    static final Duration STALLED = Duration.ofMillis(250);
    /** Marks the threads that read connections. */
    private static final ThreadLocal<Boolean> READER = new ThreadLocal<>();

    private final SocketChannel socket;
    private final InetAddress remoteHost;
    private final Address address;
    private final Origin.Transport origin;
    private final TcpTransport transport;
    private final FrameWriter out;
    private final NodeMetrics metrics;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queued = queueLock.newCondition();
    private final Condition room = queueLock.newCondition();
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    /** The bytes of the frames in {@link #queue}. */
    private long queuedBytes;
    /** The bytes of the frames the writer took from the queue that the socket has not taken yet. */
    private long writingBytes;
    private Thread writer;
    /** When a frame smaller than {@link #LARGE_FRAME} was last handed to this connection ({@link System#nanoTime()}). */
    private volatile long lastSmallSend;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean relayed;
    private volatile boolean closed;

    TcpConnection(SocketChannel socket, Address address, boolean inbound, TcpTransport transport) throws IOException {
        this.socket = socket;
        this.remoteHost = ((InetSocketAddress) socket.getRemoteAddress()).getAddress();
        this.address = address;
        this.transport = transport;
        this.metrics = transport.node().metrics();
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        this.out = new FrameWriter(socket);
        out.writeVersion();
        // Given out last: a constructor that fails leaves nothing issued.
        this.origin = transport.node().issue(new Origin.Transport(address, inbound));
    }

    Address address() {
        return address;
    }

    boolean isInbound() {
        return origin.inbound();
    }

    /** The IP address of the peer. */
    InetAddress remoteHost() {
        return remoteHost;
    }

    void startReader() {
        Thread.ofVirtual().name("tcp-reader-" + address).start(this::readLoop);
    }

    /** How a sending thread may wait when the queue is full. */
    private enum Patience {
        /** A thread dedicated to one peer: waits for room until the connection closes. */
        DEDICATED,
        /** A connection's reader relaying a frame: waits only while the writes make progress. */
        RELAYING,
        /** A {@link ServiceThread}, or a reply that must not wait: refused at once. */
        NONE
    }

    /** Sends {@code message} as this class describes. */
    void send(TransportMessage message) throws HopsealException {
        send(message, patience());
    }

    /** How long the calling thread may wait for room in the queue. */
    private static Patience patience() {
        return READER.get() != null ? Patience.RELAYING : ServiceThread.isCurrent() ? Patience.NONE : Patience.DEDICATED;
    }

    /**
     * Sends {@code messages} in order, as {@link #send} does, in one gathering write when the calling thread writes
     * them itself (no frame queued, nobody writing): the frames of one message too large for a single channel frame.
     * Queued instead, they follow each other in the queue, so the writer takes them in one batch unless it is
     * already writing the first.
     */
    void sendTogether(List<TransportMessage> messages) throws HopsealException {
        List<Frame> frames = new ArrayList<>(messages.size());
        for (TransportMessage message : messages) {
            frames.add(frame(message));
        }
        Patience patience = patience();
        if (patience == Patience.DEDICATED && writeDirectly(frames)) {
            return;
        }
        for (Frame frame : frames) {
            enqueue(frame, patience);
        }
    }

    /**
     * Sends {@code message} waiting for room as a thread dedicated to one peer does, whichever thread calls: for what
     * must not be dropped while the connection lives (a relay passing its node's channel frames). A stalled write ends
     * the wait only when the write timeout closes the connection.
     */
    void sendWaiting(TransportMessage message) throws HopsealException {
        send(message, Patience.DEDICATED);
    }

    private void send(TransportMessage message, Patience patience) throws HopsealException {
        Frame frame = frame(message);
        boolean alone = frame.size() >= LARGE_FRAME;
        if (!alone) {
            long now = System.nanoTime();
            alone = now - lastSmallSend > BURST_GAP.toNanos();
            lastSmallSend = now;
        }
        if (patience == Patience.DEDICATED && alone && writeDirectly(List.of(frame))) {
            return;
        }
        enqueue(frame, patience);
    }

    /** Queues {@code message} for the writer thread; never waits. */
    void sendQueued(TransportMessage message) throws HopsealException {
        enqueue(frame(message), Patience.NONE);
    }

    /**
     * Writes {@code frames} on the calling thread, in one gathering write, if nothing is queued and nobody writes (so
     * no frame is overtaken); {@code false} if they must be queued instead.
     */
    private boolean writeDirectly(List<Frame> frames) throws RoutingException {
        if (!writeLock.tryLock()) {
            return false;
        }
        try {
            if (closed) {
                throw new RoutingException(ErrorKind.UNAVAILABLE, "connection to " + address + " is closed");
            }
            if (hasQueued()) {
                return false;
            }
            out.write(frames);
            for (Frame frame : frames) {
                metrics.sent(frame.size());
            }
            lastActivity = System.nanoTime();
            return true;
        } catch (IOException e) {
            close();
            throw new RoutingException(ErrorKind.UNAVAILABLE, "connection to " + address + " lost: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private boolean hasQueued() {
        queueLock.lock();
        try {
            return !queue.isEmpty();
        } finally {
            queueLock.unlock();
        }
    }

    private Frame frame(TransportMessage message) throws RoutingException {
        if (message.onwardRoute().size() > Route.MAX_LENGTH || message.returnRoute().size() > Route.MAX_LENGTH) {
            throw new RoutingException(ErrorKind.INVALID, "a route longer than the hop limit of " + Route.MAX_LENGTH
                    + " cannot be sent to " + address);
        }
        Frame frame = TcpFrames.frame(message);
        if (frame.bodyLength() > transport.options().maxFrameSize()) {
            throw new RoutingException(ErrorKind.INVALID, "message of " + frame.bodyLength() + " bytes exceeds the maximum frame size "
                    + transport.options().maxFrameSize() + " of " + address);
        }
        return frame;
    }

    /** Queues {@code frame} for the writer thread; when the queue is full, waits as {@code patience} allows. */
    private void enqueue(Frame frame, Patience patience) throws RoutingException {
        queueLock.lock();
        try {
            while (!closed && queuedBytes + writingBytes > 0
                    && queuedBytes + writingBytes + frame.size() > transport.options().maxQueuedBytes()) {
                long started = out.writeStarted();
                boolean stalled = started != 0 && System.nanoTime() - started > STALLED.toNanos();
                if (patience == Patience.NONE || (patience == Patience.RELAYING && stalled)) {
                    throw new RoutingException(ErrorKind.UNAVAILABLE, "connection to " + address + " is not keeping up: "
                            + (queuedBytes + writingBytes) + " bytes wait to be written");
                }
                try {
                    room.awaitNanos(TimeUnit.MILLISECONDS.toNanos(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RoutingException(ErrorKind.SHUTDOWN, "interrupted while waiting for room at " + address);
                }
            }
            if (closed) {
                throw new RoutingException(ErrorKind.UNAVAILABLE, "connection to " + address + " is closed");
            }
            queue.add(frame);
            queuedBytes += frame.size();
            if (writer == null) {
                writer = Thread.ofVirtual().name("tcp-writer-" + address).start(this::writeLoop);
            }
            queued.signal();
        } finally {
            queueLock.unlock();
        }
    }

    /** The writer thread: writes every queued frame in one gathering write. */
    private void writeLoop() {
        while (!closed) {
            queueLock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    queued.await();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                queueLock.unlock();
            }
            writeLock.lock();
            try {
                if (!closed) {
                    // Taken under the write lock, so no frame written directly can overtake them.
                    List<Frame> frames = takeQueued();
                    out.write(frames, this::written);
                    for (Frame frame : frames) {
                        metrics.sent(frame.size());
                    }
                    lastActivity = System.nanoTime();
                }
            } catch (IOException e) {
                LOG.debug("connection {} lost while writing: {}", address, e.toString());
                close();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Every queued frame, whose bytes count as waiting until they reach the socket ({@link #written}). */
    private List<Frame> takeQueued() {
        queueLock.lock();
        try {
            List<Frame> batch = new ArrayList<>(queue);
            queue.clear();
            writingBytes = queuedBytes;
            queuedBytes = 0;
            return batch;
        } finally {
            queueLock.unlock();
        }
    }

    /** {@code bytes} of the frames being written reached the socket: their room is free. */
    private void written(long bytes) {
        queueLock.lock();
        try {
            writingBytes -= bytes;
            room.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** How many gathering writes this connection made. */
    long writeCount() {
        return out.writeCount();
    }

    /** Whether a write has made no progress for {@code timeout}. */
    boolean isWriteStalled(long now, Duration timeout) {
        return out.isStalled(now, timeout);
    }

    /** Whether nothing crossed this connection for {@code timeout} and it never relayed for another node. */
    boolean isIdle(long now, Duration timeout) {
        return !relayed && !out.isWriting() && now - lastActivity > timeout.toNanos();
    }

    private void readLoop() {
        READER.set(Boolean.TRUE);
        try {
            FrameReader in = new FrameReader(socket, transport.options().maxFrameSize());
            in.readVersion();
            while (!closed) {
                TransportMessage m = in.next();
                if (m == null) {
                    break;
                }
                lastActivity = System.nanoTime();
                metrics.received(in.lastFrameSize());
                deliver(m);
            }
        } catch (FrameTooLargeException e) {
            transport.warnings().warn("closing connection {}: {}", address, e.getMessage());
        } catch (DecodeException e) {
            transport.warnings().warn("closing connection {}: undecodable frame: {}", address, LogText.of(e.getMessage()));
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("connection {} ended: {}", address, e.toString());
            }
        } finally {
            close();
        }
    }

    private void deliver(TransportMessage m) {
        if (m.onwardRoute().isEmpty()) {
            transport.warnings().warn("dropped a message from {} with an empty onward route", address);
            return;
        }
        TransportMessage back = m.withReturnRoute(m.returnRoute().prepend(address));
        if (transport.node().routeFromOutside(new LocalMessage(back).withOrigin(origin)) && !m.onwardRoute().next().isLocal()) {
            // It carries channels of other nodes, which this node cannot see: not closed for being quiet.
            relayed = true;
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        transport.node().retire(origin);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        queueLock.lock();
        try {
            queue.clear();
            queuedBytes = 0;
            queued.signalAll();
            room.signalAll();
        } finally {
            queueLock.unlock();
        }
        transport.forget(this);
    }
}
