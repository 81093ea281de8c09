package org.hopseal.benchmarks.tlscheck;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * (b) and (c): an {@link SSLServerSocket} on loopback, served by one thread that handles one connection at a time
 * (the client makes them one after another), and the client measurements against it. A connection starts with a
 * byte: {@code 'e'} echoes one byte; {@code 'b'} reads an 8-byte count, then that many bytes, and answers one byte.
 */
final class LoopbackTls implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int STREAM_BUFFER = 64 * 1024;
    private static final byte ECHO = 'e';
    private static final byte BULK = 'b';

    private final MutualTls tls;
    private final SSLServerSocket listener;
    private final Thread server;
    private long connections;

    LoopbackTls(MutualTls tls) throws IOException {
        this.tls = tls;
        listener = (SSLServerSocket) tls.server.getServerSocketFactory().createServerSocket();
        listener.setSSLParameters(MutualTls.parameters(listener.getSSLParameters(), true));
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = Thread.ofPlatform().name("tls-check-server").daemon().start(this::serve);
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (SSLSocket s = (SSLSocket) listener.accept()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout((int) READ_TIMEOUT.toMillis());
                answer(s.getInputStream(), s.getOutputStream());
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("tls-check: the server dropped a connection: " + e);
                }
            }
        }
    }

    private static void answer(InputStream in, OutputStream out) throws IOException {
        int mode = in.read();
        if (mode == ECHO) {
            out.write(ECHO);
            out.flush();
        } else if (mode == BULK) {
            long left = new DataInputStream(in).readLong();
            byte[] buffer = new byte[STREAM_BUFFER];
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("the client stopped " + left + " bytes short");
                }
                left -= n;
            }
            out.write(1);
            out.flush();
        }
    }

    /** Connections made so far, warm-ups and bulk transfers included. */
    long connections() {
        return connections;
    }

    private SSLSocket connect() throws IOException {
        SSLSocket s = (SSLSocket) tls.client.getSocketFactory().createSocket();
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) READ_TIMEOUT.toMillis());
        s.setSSLParameters(MutualTls.parameters(s.getSSLParameters(), false));
        s.connect(listener.getLocalSocketAddress(), (int) CONNECT_TIMEOUT.toMillis());
        s.startHandshake();
        connections++;
        return s;
    }

    /** New connections per second (full mutual handshake, then a one-byte echo) over {@code time}, after a warm-up. */
    double connectionsPerSecond(Duration warmUp, Duration time) throws IOException {
        connectFor(warmUp);
        long start = System.nanoTime();
        long count = connectFor(time);
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private long connectFor(Duration time) throws IOException {
        long end = System.nanoTime() + time.toNanos();
        long count = 0;
        while (System.nanoTime() < end) {
            try (SSLSocket s = connect()) {
                OutputStream out = s.getOutputStream();
                out.write(ECHO);
                out.flush();
                if (s.getInputStream().read() != ECHO) {
                    throw new SocketException("no echo");
                }
                // With a read timeout set, closing a TLS 1.3 socket waits for the server's close_notify, a round
                // trip that is no part of a new connection's cost; without one, close does not wait.
                s.setSoTimeout(0);
            }
            count++;
        }
        return count;
    }

    /**
     * MB/s sending {@code size}-byte writes through a 64 KiB {@link BufferedOutputStream} for about {@code time}
     * (the byte count is set from a warm-up transfer's rate), up to the server's acknowledgement.
     */
    double bulkMegabytesPerSecond(int size, Duration warmUp, Duration time) throws IOException {
        long probe = 16L << 20;
        double warmRate;
        long warmEnd = System.nanoTime() + warmUp.toNanos();
        do {
            warmRate = bulk(size, probe);
        } while (System.nanoTime() < warmEnd);
        long total = Math.max(probe, (long) (warmRate * time.toNanos() / 1e9));
        return bulk(size, total) / 1e6;
    }

    /** Bytes per second of one transfer of {@code total} bytes. */
    private double bulk(int size, long total) throws IOException {
        byte[] chunk = new byte[size];
        try (SSLSocket s = connect()) {
            long start = System.nanoTime();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), STREAM_BUFFER));
            out.writeByte(BULK);
            out.writeLong(total);
            for (long sent = 0; sent < total; sent += size) {
                out.write(chunk, 0, (int) Math.min(size, total - sent));
            }
            out.flush();
            if (s.getInputStream().read() != 1) {
                throw new SocketException("no acknowledgement");
            }
            return total / ((System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        server.join(CONNECT_TIMEOUT.toMillis());
    }
}
