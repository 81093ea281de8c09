package org.hopseal.benchmarks.tlscheck;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A cross-check of the benchmark's TLS peer, written without the benchmark's helpers: the same configuration in its
 * own code. JDK TLS 1.3, mutual authentication with fresh self-signed P-256 certificates, the x25519 key exchange,
 * default key and trust manager algorithms, every handshake a full one (the server sends no session tickets, and the check fails unless the client verified the
 * server's certificate in every handshake, which a resumed one skips).
 * Measures (a) in-memory {@code SSLEngine} handshakes/s, (b) loopback {@code SSLSocket} connections/s (handshake and a
 * one-byte echo) and (c) loopback bulk MB/s at 1 KiB and 64 KiB writes. Prints a readable summary and one line per
 * figure, {@code TLS-CHECK <figure> <value>}, for {@code hopseal bench} to read.
 * <p>
 * {@code --seconds N} sets the measuring time of each figure (default 5), each after a warm-up as long (the JIT
 * needs a few seconds to compile the curve arithmetic on a busy machine).
 */
public final class PlainTlsCheck {
    /** Prefix of the lines {@code hopseal bench} reads. */
    public static final String LINE_PREFIX = "TLS-CHECK ";
    private static final String TICKETS_PROPERTY = "jdk.tls.server.newSessionTicketCount";

    /** The figures, in the order they are measured. */
    public enum Figure {
        HANDSHAKES("in-memory SSLEngine full mutual handshakes/s"),
        CONNECTIONS("loopback SSLSocket connections/s (full mutual handshake + 1-byte echo)"),
        BULK_1K("loopback bulk MB/s, 1 KiB writes"),
        BULK_64K("loopback bulk MB/s, 64 KiB writes");

        public final String label;

        Figure(String label) {
            this.label = label;
        }
    }

    private PlainTlsCheck() {
    }

    public static void main(String[] args) throws Exception {
        // Before any TLS object exists: the JDK reads it once. Without tickets a TLS 1.3 client has nothing to resume.
        System.setProperty(TICKETS_PROPERTY, "0");
        Duration time = Duration.ofSeconds(5);
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--seconds")) {
                time = Duration.ofMillis((long) (Double.parseDouble(args[i + 1]) * 1000));
            }
        }
        Map<Figure, Double> figures = measure(time, time);
        for (Map.Entry<Figure, Double> f : figures.entrySet()) {
            System.out.printf(Locale.ROOT, "%-75s %,12.1f%n", f.getKey().label, f.getValue());
        }
        for (Map.Entry<Figure, Double> f : figures.entrySet()) {
            System.out.println(LINE_PREFIX + f.getKey().name() + " " + f.getValue());
        }
        System.out.flush();
    }

    private static Map<Figure, Double> measure(Duration time, Duration warmUp) throws Exception {
        MutualTls tls = MutualTls.create();
        Map<Figure, Double> figures = new EnumMap<>(Figure.class);
        InMemoryHandshakes inMemory = new InMemoryHandshakes(tls);
        figures.put(Figure.HANDSHAKES, inMemory.perSecond(warmUp, time));
        long connections;
        try (LoopbackTls loopback = new LoopbackTls(tls)) {
            figures.put(Figure.CONNECTIONS, loopback.connectionsPerSecond(warmUp, time));
            figures.put(Figure.BULK_1K, loopback.bulkMegabytesPerSecond(1024, warmUp, time));
            figures.put(Figure.BULK_64K, loopback.bulkMegabytesPerSecond(64 * 1024, warmUp, time));
            connections = loopback.connections();
        }
        long handshakes = inMemory.handshakes() + connections;
        if (tls.fullHandshakes() != handshakes) {
            throw new IllegalStateException(handshakes + " handshakes, but the client verified the server's certificate "
                    + tls.fullHandshakes() + " times: some were resumptions");
        }
        return figures;
    }
}
