package org.hopseal.it.boundary;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.hopseal.testing.Wire;

/**
 * A TCP proxy in front of one node that understands frames: it passes every frame from the client to the node
 * unchanged except those {@code drop} selects (by decoded message), and everything from the node back unchanged.
 * An on-path attacker, or a peer's network, that loses chosen frames.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Predicate<Wire.Frame> drop;
    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    DroppingProxy(int targetPort, Predicate<Wire.Frame> drop) throws IOException {
        this.targetPort = targetPort;
        this.drop = drop;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int passed() {
        return passed.get();
    }

    int dropped() {
        return dropped.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket("127.0.0.1", targetPort);
                sockets.add(in);
                sockets.add(out);
                Thread.ofVirtual().start(() -> frames(in, out));
                Thread.ofVirtual().start(() -> bytes(out, in));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void frames(Socket from, Socket to) {
        try {
            InputStream in = new BufferedInputStream(from.getInputStream(), 256 * 1024);
            OutputStream out = to.getOutputStream();
            int version = in.read();
            if (version < 0) {
                return;
            }
            out.write(version);
            out.flush();
            while (true) {
                byte[] body = Wire.readFrameBody(in, 32 * 1024 * 1024);
                if (body == null) {
                    return;
                }
                if (drop.test(Wire.decode(body))) {
                    dropped.incrementAndGet();
                    continue;
                }
                out.write(Wire.frame(body));
                out.flush();
                passed.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void bytes(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
