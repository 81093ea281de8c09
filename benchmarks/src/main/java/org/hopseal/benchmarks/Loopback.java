package org.hopseal.benchmarks;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.PostQuantum;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;
import org.hopseal.core.channel.SecureChannels;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.NodeContext;
import org.hopseal.core.transport.tcp.TcpTransport;

/** The client side of the two-process loopback measurements (the server is {@link LoopbackServer}). */
final class Loopback implements AutoCloseable {
    record Latency(double medianMicros, double p99Micros) {
    }

    private static final String LOOPBACK = "127.0.0.1";
    private static final int WRITE_BUFFER = 64 * 1024;

    private final Process server;
    private final int tcpPort;
    private final int tlsPort;
    private final int hopsealPort;
    private final TlsPeers tls;
    private final Node node;
    private final Entity alice;

    Loopback() throws Exception {
        Path dir = Files.createTempDirectory("hopseal-bench-tls");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                LoopbackServer.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream()));
        String line = r.readLine();
        if (line == null || !line.startsWith("PORTS ")) {
            server.destroyForcibly();
            throw new IllegalStateException("the loopback server did not start: " + line);
        }
        String[] p = line.split(" ");
        tcpPort = Integer.parseInt(p[1]);
        tlsPort = Integer.parseInt(p[2]);
        hopsealPort = Integer.parseInt(p[3]);
        tls = TlsPeers.load(dir);
        node = Node.start();
        TcpTransport.create(node.context());
        alice = Entity.create(node.context());
    }

    private Route listener() {
        return Route.of(Address.tcp(LOOPBACK + ":" + hopsealPort), Address.of("secure"));
    }

    private Socket plain() throws Exception {
        Socket s = new Socket();
        SocketTuning.apply(s);
        s.connect(new InetSocketAddress(LOOPBACK, tcpPort), (int) SocketTuning.CONNECT_TIMEOUT.toMillis());
        return s;
    }

    private Socket secure() throws Exception {
        return tls.connect(new InetSocketAddress(LOOPBACK, tlsPort));
    }

    /**
     * MB/s of a bulk transfer of {@code total} bytes in writes of {@code size}, through a 64 KiB buffer as Hopseal's
     * connection writes (so small writes leave in full TLS records and few system calls).
     */
    private static double bulk(Socket s, int size, long total) throws Exception {
        try {
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), WRITE_BUFFER);
            DataOutputStream d = new DataOutputStream(out);
            byte[] chunk = new byte[size];
            long start = System.nanoTime();
            d.writeByte('B');
            d.writeLong(total);
            for (long sent = 0; sent < total; sent += size) {
                out.write(chunk, 0, (int) Math.min(size, total - sent));
            }
            out.flush();
            if (s.getInputStream().read() != 1) {
                throw new IllegalStateException("no acknowledgement");
            }
            return total / 1e6 / ((System.nanoTime() - start) / 1e9);
        } finally {
            SocketTuning.close(s);
        }
    }

    double plainBulk(int size, long total) throws Exception {
        return bulk(plain(), size, total);
    }

    double tlsBulk(int size, long total) throws Exception {
        return bulk(secure(), size, total);
    }

    double hopsealBulk(int size, long total) throws Exception {
        Bulk b = hopsealBulk(node.context(), alice, listener(), size, total);
        if (b.delivered() != b.sent()) {
            throw new IllegalStateException("the sink counted " + b.delivered() + " of " + b.sent());
        }
        return b.mbps();
    }

    /** A bulk transfer: MB/s of the messages delivered, and how many were sent and delivered. */
    record Bulk(double mbps, long sent, long delivered) {
    }

    /**
     * {@code total} bytes sent as messages of {@code size} bytes through a new channel of {@code from} to
     * {@code listener}, to its node's {@link BulkSink}, from a context of its own: MB/s (10^6 bytes) of the messages
     * the sink counted, timed from the first message until its count comes back after the last (the channel's
     * handshake is not timed). The loopback rows fail unless every message arrived; the relay rows ({@link RelayBench})
     * count what was lost.
     */
    static Bulk hopsealBulk(Context app, Entity from, Route listener, int size, long total) throws Exception {
        Context ctx = app.newContext(Address.random());
        try {
            Address ch = from.createSecureChannel(listener);
            Route sink = Route.of(ch, BulkSink.ADDRESS);
            byte[] data = new byte[size];
            long count = total / size;
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                ctx.send(sink, data);
            }
            long got = BulkSink.flush(ctx, sink);
            double mbps = got * size / 1e6 / ((System.nanoTime() - start) / 1e9);
            SecureChannels.close(ctx, ch);
            return new Bulk(mbps, count, got);
        } finally {
            ((NodeContext) ctx).close();
        }
    }

    private static Latency summarize(long[] nanos) {
        Arrays.sort(nanos);
        return new Latency(nanos[nanos.length / 2] / 1e3, nanos[(int) (nanos.length * 0.99)] / 1e3);
    }

    private static Latency echo(Socket s, int n) throws Exception {
        try {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write('E');
            byte[] msg = new byte[64];
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                out.write(msg);
                out.flush();
                in.readFully(msg);
                t[i] = System.nanoTime() - start;
            }
            return summarize(t);
        } finally {
            SocketTuning.close(s);
        }
    }

    Latency plainEcho(int n) throws Exception {
        return echo(plain(), n);
    }

    Latency tlsEcho(int n) throws Exception {
        return echo(secure(), n);
    }

    Latency hopsealEcho(int n) throws Exception {
        var ctx = node.context();
        Address ch = alice.createSecureChannel(listener());
        Route echoer = Route.of(ch, Address.of("echoer"));
        byte[] msg = new byte[64];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            ctx.send(echoer, msg);
            ctx.receive(byte[].class, Duration.ofSeconds(10));
            t[i] = System.nanoTime() - start;
        }
        SecureChannels.close(ctx, ch);
        return summarize(t);
    }

    /**
     * New authenticated channels per second, each used for one echo. Classical, as the TLS peer's key exchange is
     * (X25519 or P-256, no ML-KEM in the JDK's TLS 1.3 here): like for like.
     */
    double hopsealChannelsPerSecond(int n) throws Exception {
        var ctx = node.context();
        SecureChannelOptions classical = SecureChannelOptions.defaults().withPostQuantum(PostQuantum.OFF);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Address ch = alice.createSecureChannel(listener(), classical);
            ctx.send(Route.of(ch, Address.of("echoer")), "x");
            ctx.receive(String.class, Duration.ofSeconds(10));
            SecureChannels.close(ctx, ch);
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** New TLS 1.3 mutual-auth connections per second (each a full handshake, never resumed), each used for one echo. */
    double tlsConnectionsPerSecond(int n) throws Exception {
        long before = tls.fullHandshakes();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            echo(secure(), 1);
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        tls.requireFullHandshakes(before, n);
        return rate;
    }

    @Override
    public void close() {
        node.stop();
        server.destroyForcibly();
    }

}
