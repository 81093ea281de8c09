package org.hopseal.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hopseal.testing.Wire.Addr;
import org.hopseal.testing.Wire.Frame;

/**
 * An outsider's TCP client: a plain {@link Socket} that speaks Hopseal's frame format ({@link Wire}), never through
 * Hopseal's own transport. Frames are read by a background thread into a queue (unless reading is off, to play a
 * peer that never reads).
 */
public final class RawClient implements AutoCloseable {
    private static final int MAX_FRAME = 32 * 1024 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong framesRead = new AtomicLong();
    private volatile boolean discard;
    private volatile boolean ended;
    private volatile String endReason = "";

    private RawClient(Socket socket, boolean read) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out.write(Wire.PROTOCOL_VERSION);
        out.flush();
        socket.setSoTimeout(10_000);
        int version = in.read();
        if (version != Wire.PROTOCOL_VERSION) {
            socket.close();
            throw new IOException("the node answered the protocol version with " + version);
        }
        socket.setSoTimeout(0);
        if (read) {
            Thread.ofVirtual().name("raw-client-reader").start(this::readLoop);
        }
    }

    /** Connects to {@code 127.0.0.1:port}, exchanges protocol versions and starts reading frames. */
    public static RawClient connect(int port) throws IOException {
        return connect(port, true);
    }

    /** As {@link #connect(int)}; with {@code read} false nothing is read after the version byte. */
    public static RawClient connect(int port, boolean read) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new RawClient(s, read);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void readLoop() {
        try {
            while (true) {
                byte[] body = Wire.readFrameBody(in, MAX_FRAME);
                if (body == null) {
                    endReason = "end of stream";
                    break;
                }
                bytesRead.addAndGet(4 + body.length);
                framesRead.incrementAndGet();
                if (!discard) {
                    frames.add(Wire.decode(body));
                }
            }
        } catch (IOException | RuntimeException e) {
            endReason = e.toString();
        } finally {
            ended = true;
        }
    }

    /** The local port of this client's socket (the node names the connection {@code 1#127.0.0.1:<it>}). */
    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(List<Addr> onward, List<Addr> back, byte[] payload) throws IOException {
        sendBytes(Wire.frame(onward, back, payload));
    }

    /** Sends {@code text} as a String body to the one local address {@code to}, with an empty return route. */
    public void sendText(String to, String text) throws IOException {
        send(List.of(Addr.local(to)), List.of(), Wire.string(text));
    }

    public synchronized void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame, or {@code null} if none arrives within {@code timeout}. */
    public Frame receive(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every frame that arrives within {@code window}. */
    public List<Frame> receiveAll(Duration window) throws InterruptedException {
        List<Frame> all = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return all;
            }
            Frame f = frames.poll(left, TimeUnit.NANOSECONDS);
            if (f != null) {
                all.add(f);
            }
        }
    }

    /** Whether the node ended the connection (end of stream or reset) within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return Await.holds(timeout, () -> ended);
    }

    public boolean ended() {
        return ended;
    }

    public String endReason() {
        return endReason;
    }

    /** From now on, frames are counted and dropped rather than queued (for floods whose replies would fill the heap). */
    public void discardIncoming() {
        discard = true;
        frames.clear();
    }

    public long framesRead() {
        return framesRead.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
