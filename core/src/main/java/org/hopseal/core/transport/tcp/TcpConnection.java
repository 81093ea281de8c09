package org.hopseal.core.transport.tcp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
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
import org.hopseal.core.node.ServiceThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection.
 *
 * <p>Writing: one writer thread per connection takes every frame queued since its last write, writes them through
 * one buffer (so a burst of small frames leaves in a few large writes) and flushes once per batch. The queue holds
 * at most {@link TcpTransportOptions#maxQueuedBytes()}; when it is full, a thread dedicated to one peer (a
 * channel's worker, the application's own thread) waits for room, which is the backpressure, until the connection
 * closes; a {@link ServiceThread} is refused with {@code UNAVAILABLE} at once; a connection's reader that relays a
 * frame waits only while the writes make progress, so it never waits on a write that needs it (a connection to
 * this node itself, or two forwarding nodes relaying to each other) for more than {@link #STALLED}. A write that
 * makes no progress for the write timeout closes the connection (the transport watches).
 *
 * <p>A frame that gains nothing from gathering saves the hand-off: a dedicated thread whose frame finds the queue
 * empty and the writer idle writes and flushes it itself if it is at least {@link #LARGE_FRAME} bytes (one system
 * call's worth) or no other small frame was sent within {@link #BURST_GAP} (request and reply traffic, the last
 * fragment of a large message); the small frames of a burst go to the writer, which gathers them.
 *
 * <p>Reading: one virtual thread reads frames and routes them into the node as {@link Origin.Transport} messages,
 * with this connection's address prepended to the return route.
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

    private final Socket socket;
    private final Address address;
    private final Origin.Transport origin;
    private final TcpTransport transport;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queued = queueLock.newCondition();
    private final Condition room = queueLock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private Thread writer;
    /** When a frame smaller than {@link #LARGE_FRAME} was last handed to this connection ({@link System#nanoTime()}). */
    private volatile long lastSmallSend;
    /** How many times the buffer was flushed to the socket (written by the write lock's holder). */
    private volatile long flushes;
    /** When the write in progress started ({@link System#nanoTime()}), or 0. */
    private volatile long writeStarted;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean relayed;
    private volatile boolean closed;

    TcpConnection(Socket socket, Address address, boolean inbound, TcpTransport transport) throws IOException {
        this.socket = socket;
        this.address = address;
        this.transport = transport;
        socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        TcpFrames.writeVersion(out);
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
        return socket.getInetAddress();
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
        byte[] frame = frame(message);
        Patience patience = READER.get() != null ? Patience.RELAYING : ServiceThread.isCurrent() ? Patience.NONE : Patience.DEDICATED;
        boolean alone = frame.length >= LARGE_FRAME;
        if (!alone) {
            long now = System.nanoTime();
            alone = now - lastSmallSend > BURST_GAP.toNanos();
            lastSmallSend = now;
        }
        if (patience == Patience.DEDICATED && alone && writeDirectly(frame)) {
            return;
        }
        enqueue(frame, patience);
    }

    /** Queues {@code message} for the writer thread; never waits. */
    void sendQueued(TransportMessage message) throws HopsealException {
        enqueue(frame(message), Patience.NONE);
    }

    /**
     * Writes and flushes {@code frame} on the calling thread if nothing is queued and nobody writes (so no frame
     * is overtaken); {@code false} if it must be queued instead.
     */
    private boolean writeDirectly(byte[] frame) throws RoutingException {
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
            write(frame);
            timedFlush();
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

    private byte[] frame(TransportMessage message) throws RoutingException {
        if (message.onwardRoute().size() > Route.MAX_LENGTH || message.returnRoute().size() > Route.MAX_LENGTH) {
            throw new RoutingException(ErrorKind.INVALID, "a route longer than the hop limit of " + Route.MAX_LENGTH
                    + " cannot be sent to " + address);
        }
        byte[] frame = TcpFrames.frame(message);
        if (frame.length - 4 > transport.options().maxFrameSize()) {
            throw new RoutingException(ErrorKind.INVALID, "message of " + (frame.length - 4) + " bytes exceeds the maximum frame size "
                    + transport.options().maxFrameSize() + " of " + address);
        }
        return frame;
    }

    /** Queues {@code frame} for the writer thread; when the queue is full, waits as {@code patience} allows. */
    private void enqueue(byte[] frame, Patience patience) throws RoutingException {
        queueLock.lock();
        try {
            while (!closed && queuedBytes > 0 && queuedBytes + frame.length > transport.options().maxQueuedBytes()) {
                long started = writeStarted;
                boolean stalled = started != 0 && System.nanoTime() - started > STALLED.toNanos();
                if (patience == Patience.NONE || (patience == Patience.RELAYING && stalled)) {
                    throw new RoutingException(ErrorKind.UNAVAILABLE, "connection to " + address + " is not keeping up: "
                            + queuedBytes + " bytes wait to be written");
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
            queuedBytes += frame.length;
            if (writer == null) {
                writer = Thread.ofVirtual().name("tcp-writer-" + address).start(this::writeLoop);
            }
            queued.signal();
        } finally {
            queueLock.unlock();
        }
    }

    private byte[] nextQueued() {
        queueLock.lock();
        try {
            byte[] frame = queue.poll();
            if (frame != null) {
                queuedBytes -= frame.length;
                room.signalAll();
            }
            return frame;
        } finally {
            queueLock.unlock();
        }
    }

    /** The writer thread: writes every queued frame through the buffer, then flushes once. */
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
                    writeQueued();
                    timedFlush();
                }
            } catch (IOException e) {
                LOG.debug("connection {} lost while writing: {}", address, e.toString());
                close();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Writes every queued frame; the write lock is held. */
    private void writeQueued() throws IOException {
        for (byte[] frame = nextQueued(); frame != null; frame = nextQueued()) {
            write(frame);
        }
    }

    /** Writes one frame into the buffer (and so to the socket when it fills), timed for the write timeout. */
    private void write(byte[] frame) throws IOException {
        writeStarted = System.nanoTime();
        try {
            out.write(frame);
        } finally {
            writeStarted = 0;
        }
        lastActivity = System.nanoTime();
    }

    private void timedFlush() throws IOException {
        writeStarted = System.nanoTime();
        try {
            out.flush();
        } finally {
            writeStarted = 0;
        }
        flushes++;
    }

    /** How many times this connection flushed its buffer to the socket. */
    long flushCount() {
        return flushes;
    }

    /** Whether a write has made no progress for {@code timeout}. */
    boolean isWriteStalled(long now, Duration timeout) {
        long started = writeStarted;
        return started != 0 && now - started > timeout.toNanos();
    }

    /** Whether nothing crossed this connection for {@code timeout} and it never relayed for another node. */
    boolean isIdle(long now, Duration timeout) {
        return !relayed && writeStarted == 0 && now - lastActivity > timeout.toNanos();
    }

    private void readLoop() {
        READER.set(Boolean.TRUE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024))) {
            TcpFrames.readVersion(in);
            while (!closed) {
                TransportMessage m = TcpFrames.read(in, transport.options().maxFrameSize());
                if (m == null) {
                    break;
                }
                lastActivity = System.nanoTime();
                deliver(m);
            }
        } catch (TcpFrames.FrameTooLargeException e) {
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
