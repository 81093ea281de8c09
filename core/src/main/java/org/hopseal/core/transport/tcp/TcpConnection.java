package org.hopseal.core.transport.tcp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.core.node.FlushBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection: writes happen in the sender's thread under a lock, so a slow peer slows its senders and no
 * queue grows; a worker that has more messages queued flushes once after them ({@link FlushBatch}), and a guard
 * flushes within {@link #FLUSH_GUARD} whatever the worker does. One virtual
 * thread reads frames and routes them into the node, with this connection's address prepended to the return route.
 */
final class TcpConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

    private final Socket socket;
    private final Address address;
    private final TcpTransport transport;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final FlushBatch.Target flusher = this::flush;
    private final java.util.concurrent.atomic.AtomicBoolean flushGuardScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** The longest a frame waits in the buffer when its writer's batch is held up. */
    private static final java.time.Duration FLUSH_GUARD = java.time.Duration.ofMillis(1);
    private volatile boolean closed;

    TcpConnection(Socket socket, Address address, TcpTransport transport) throws IOException {
        this.socket = socket;
        this.address = address;
        this.transport = transport;
        socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        TcpFrames.writeVersion(out);
    }

    Address address() {
        return address;
    }

    void startReader() {
        Thread.ofVirtual().name("tcp-reader-" + address).start(this::readLoop);
    }

    void send(TransportMessage message) throws HopsealException {
        byte[] frame = TcpFrames.frame(message);
        if (frame.length - 4 > transport.maxFrameSize()) {
            throw new RoutingException(ErrorKind.INVALID, "message of " + (frame.length - 4) + " bytes exceeds the maximum frame size "
                    + transport.maxFrameSize() + " of " + address);
        }
        writeLock.lock();
        try {
            if (closed) {
                throw new RoutingException(ErrorKind.UNAVAILABLE, "connection to " + address + " is closed");
            }
            out.write(frame);
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

    /** Flushes the buffered frames; a failure closes the connection, whose senders then get errors. */
    private void flush() {
        writeLock.lock();
        try {
            if (!closed) {
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("connection {} lost while flushing: {}", address, e.toString());
            close();
        } finally {
            writeLock.unlock();
        }
    }

    private void readLoop() {
        // Frames this reader relays to other connections are flushed once per burst of frames already buffered.
        FlushBatch relayed = FlushBatch.bindToCurrentThread();
        try (ReadBuffer buffer = new ReadBuffer(socket.getInputStream()); DataInputStream in = new DataInputStream(buffer)) {
            TcpFrames.readVersion(in);
            while (!closed) {
                TransportMessage m = TcpFrames.read(in, transport.maxFrameSize());
                if (m == null) {
                    break;
                }
                relayed.beforeMessage(buffer.buffered() > 0);
                deliver(m);
                relayed.afterMessage(buffer.buffered() > 0);
            }
        } catch (TcpFrames.FrameTooLargeException e) {
            LOG.error("closing connection {}: {}", address, e.getMessage());
        } catch (DecodeException e) {
            LOG.error("closing connection {}: undecodable frame: {}", address, e.getMessage());
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("connection {} ended: {}", address, e.toString());
            }
        } finally {
            relayed.flushPending();
            close();
        }
    }

    /** A 64 KiB read buffer that tells how much it holds already (without a system call, unlike available()). */
    private static final class ReadBuffer extends BufferedInputStream {
        ReadBuffer(java.io.InputStream in) {
            super(in, 64 * 1024);
        }

        int buffered() {
            return count - pos;
        }
    }

    private void deliver(TransportMessage m) {
        if (m.onwardRoute().isEmpty()) {
            LOG.warn("dropped a message from {} with an empty onward route", address);
            return;
        }
        TransportMessage back = m.withReturnRoute(m.returnRoute().prepend(address));
        try {
            transport.context().forward(new LocalMessage(back));
        } catch (HopsealException e) {
            LOG.warn("could not route a message from {}: {}", address, e.getMessage());
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
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        transport.forget(this);
    }
}
