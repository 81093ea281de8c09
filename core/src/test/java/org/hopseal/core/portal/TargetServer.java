package org.hopseal.core.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A TCP server behind an outlet in tests: each accepted connection is served by one behaviour on its own thread. */
final class TargetServer implements AutoCloseable {
    /** What the server does with one connection. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket socket, TargetServer server) throws IOException;
    }

    /** Sends back every byte it reads, then closes when the client's side ends. */
    static final Behaviour ECHO = (socket, server) -> {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        socket.shutdownOutput();
    };

    /** Reads until the client's side ends, then answers "read N" and closes: only a forwarded half-close ends it. */
    static final Behaviour COUNT_THEN_ANSWER = (socket, server) -> {
        long total = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        socket.getOutputStream().write(("read " + total).getBytes(StandardCharsets.US_ASCII));
        socket.close();
    };

    /** Reads until the client's side ends or is reset, and counts which of the two it was ({@link #ends}, {@link #resets}). */
    static final Behaviour COUNT_ENDINGS = (socket, server) -> {
        try {
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            server.ends.incrementAndGet();
        } catch (SocketException reset) {
            server.resets.incrementAndGet();
        }
    };

    /** Writes without end, counting what the socket took: a fast server in front of a slow client. */
    static final Behaviour FLOOD = (socket, server) -> {
        socket.setSendBufferSize(64 * 1024);
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        while (true) {
            out.write(chunk);
            server.written.addAndGet(chunk.length);
        }
    };

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    final AtomicLong written = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    /** Connections whose client's side ended cleanly (a FIN) or was reset (a RST), as {@link #COUNT_ENDINGS} saw them. */
    final AtomicLong ends = new AtomicLong();
    final AtomicLong resets = new AtomicLong();

    TargetServer(Behaviour behaviour) throws IOException {
        this(behaviour, 0);
    }

    /** A server on {@code port} of the loopback address (0: any free one). */
    TargetServer(Behaviour behaviour, int port) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(port, 1024, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("target-accept").start(this::accept);
    }

    /** {@code host:port} of the server. */
    String target() {
        InetSocketAddress a = (InetSocketAddress) server.getLocalSocketAddress();
        return a.getHostString() + ":" + a.getPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                sockets.add(s);
                Thread.ofVirtual().name("target-serve").start(() -> {
                    try (s) {
                        behaviour.serve(s, this);
                    } catch (IOException closed) {
                        // the client went away
                    } finally {
                        sockets.remove(s);
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** The connections the server holds open now. */
    int open() {
        return sockets.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
