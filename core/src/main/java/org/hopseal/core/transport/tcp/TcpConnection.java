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
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.hopseal.core.node.FlushBatch;
import org.hopseal.core.node.ServiceThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection.
 *
 * <p>Writing: a thread dedicated to one peer (a channel's encryptor, a reader that relays, the application's own
 * writes in its own thread under a lock, so a slow peer slows it and no queue grows; a worker that has more
 * messages queued flushes once after them ({@link FlushBatch}), and a guard flushes within {@link #FLUSH_GUARD}
 * whatever the worker does. A {@link ServiceThread} never writes to the socket: it queues the frame (at most
 * {@link TcpTransportOptions#maxQueuedBytes()}, else {@code UNAVAILABLE} at once) for this connection's writer
 * thread. A connection's reader that relays a frame to another connection queues it too, and waits for room only
 * while that connection's writes make progress: a reader never waits on a write that needs it (a connection to
 * this node itself, or two forwarding nodes relaying to each other) for more than {@link #STALLED}. A write that
 * makes no progress for the write timeout closes the connection (the transport watches).
 *
 * <p>Reading: one virtual thread reads frames and routes them into the node as {@link Origin.Transport} messages,
 * with this connection's address prepended to the return route.
 */
final class TcpConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
    /** The longest a frame waits in the buffer when its writer's batch is held up. */
    private static final Duration FLUSH_GUARD = Duration.ofMillis(1);
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
    private final FlushBatch.Target flusher = this::flush;
    private final AtomicBoolean flushGuardScheduled = new AtomicBoolean();
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queued = queueLock.newCondition();
    private final Condition room = queueLock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private Thread writer;
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

    /** Sends {@code message} as this class describes. */
    void send(TransportMessage message) throws HopsealException {
        byte[] frame = frame(message);
        boolean reader = READER.get() != null;
        if (reader || ServiceThread.isCurrent()) {
            enqueue(frame, reader);
            return;
        }
        writeLock.lock();
        try {
            if (closed) {
                throw new RoutingException(ErrorKind.UNAVAILABLE, "connection to " + address + " is closed");
            }
            writeQueued();
            write(frame);
        } catch (IOException e) {
            close();
            throw new RoutingException(ErrorKind.UNAVAILABLE, "connection to " + address + " lost: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
        if (FlushBatch.flushNowOrAfterBatch(flusher) && flushGuardScheduled.compareAndSet(false, true)) {
            // The writing worker flushes when its batch ends; should it block before then, this flushes anyway.
            Thread.ofVirtual().name("tcp-flush-guard-" + address).start(() -> {
                try {
                    Thread.sleep(FLUSH_GUARD);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                flushGuardScheduled.set(false);
                flush();
            });
        }
    }

    /** Queues {@code message} for the writer thread; never waits. */
    void sendQueued(TransportMessage message) throws HopsealException {
        enqueue(frame(message), false);
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

    /**
     * Queues {@code frame} for the writer thread. When the queue is full, refuses at once, or, if
     * {@code waitWhileWriting}, waits as long as writes make progress.
     */
    private void enqueue(byte[] frame, boolean waitWhileWriting) throws RoutingException {
        queueLock.lock();
        try {
            while (!closed && queuedBytes > 0 && queuedBytes + frame.length > transport.options().maxQueuedBytes()) {
                long started = writeStarted;
                if (!waitWhileWriting || (started != 0 && System.nanoTime() - started > STALLED.toNanos())) {
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

    /** The writer thread: writes what service threads queued, then flushes. */
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
    }

    /** Flushes the buffered frames; a failure closes the connection, whose senders then get errors. */
    private void flush() {
        writeLock.lock();
        try {
            if (!closed) {
                timedFlush();
            }
        } catch (IOException e) {
            LOG.debug("connection {} lost while flushing: {}", address, e.toString());
            close();
        } finally {
            writeLock.unlock();
        }
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
