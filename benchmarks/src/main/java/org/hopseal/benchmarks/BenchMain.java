package org.hopseal.benchmarks;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.benchmarks.tlscheck.PlainTlsCheck;
import org.hopseal.core.channel.noise.NoiseProtocol;
import org.hopseal.vault.file.FileVault;
import org.hopseal.vault.file.KdfParameters;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code hopseal bench [--quick] [--out DIR]}: runs the JMH benchmarks and the multi-process harnesses, always
 * measuring Hopseal and its peers in the same run, and prints one markdown table (figure, Hopseal, peer, ratio, aim)
 * and a second one that sets the TLS peer's figures beside {@link PlainTlsCheck}'s, flagging any that differ by more
 * than 25%. Writes both with the date, CPU and JDK to {@code bench-results/results.md} and a throughput chart to
 * {@code bench-results/throughput.png}.
 * <p>
 * {@code --quick} is a smoke test: short runs that show everything works and prints figures, but no ratios (they
 * swing too far in runs that short to mean anything), and writes to {@code bench-results/tmp/} so that it never
 * replaces a full run's results. {@code --tls-check [--seconds N]} runs only the plain TLS check; {@code --portals},
 * {@code --relays}, {@code --kafka} and {@code --tpm} (with or without {@code --quick}) only the portal, relay, Kafka or
 * TPM rows, printed, not written.
 */
public final class BenchMain {
    private static final String[] SIZES = {"64", "1024", "16384", "65536"};
    /** How far the bench's TLS peer may be from the plain check before the output flags it. */
    private static final double PEER_TOLERANCE = 0.25;
    /** Measuring time of each plain-check figure, seconds (full run, quick run). */
    private static final String TLS_CHECK_SECONDS = "5";
    private static final String TLS_CHECK_SECONDS_QUICK = "1";
    private static final Duration TLS_CHECK_TIMEOUT = Duration.ofMinutes(5);
    /**
     * Untimed warm-up of each loopback measurement: at least this long, and until two rounds in a row agree within
     * {@link #STEADY}, for at most {@link #WARM_UP_LIMIT}. Both processes' JITs must have compiled what is measured:
     * on a busy machine a TLS peer measured after a fixed 3 s ran at half the rate it reached after 20 s.
     */
    private static final Duration LOOPBACK_WARM_UP = Duration.ofSeconds(3);
    /** The same for new channels and connections: handshake code compiles last (TLS's still sped up after 6 s). */
    private static final Duration HANDSHAKE_WARM_UP = Duration.ofSeconds(10);
    private static final Duration LOOPBACK_WARM_UP_QUICK = Duration.ofMillis(500);
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(30);
    private static final double STEADY = 0.10;
    /** The scale aim: this many open authenticated channels in one node, in at most 2 GiB of heap. */
    private static final int CHANNELS_AIM = 100_000;
    /** The channel harness's {@code -Xmx}: twice the aim (2 GiB), so that a miss is measured rather than an OutOfMemoryError. */
    private static final String CHANNELS_HEAP = "4g";
    /** No channel is started after this (100,000 took 314 s on a 2-core machine under a load average of 9). */
    private static final Duration OPEN_DEADLINE = Duration.ofMinutes(10);
    /** Any scale harness is stopped after this. */
    private static final Duration SCALE_TIMEOUT = Duration.ofMinutes(15);
    /** Channels streaming at once, and how long each streaming run warms up and then measures. */
    private static final int STREAMS = 1_000;
    private static final Duration STREAM_TIME = Duration.ofSeconds(5);
    private static final Duration STREAM_TIME_QUICK = Duration.ofSeconds(1);
    /** Relays (issue 19): hidden nodes registered at one relay host, the processes they run in, and how many stream at once. */
    private static final int RELAYS = 1_000;
    private static final int RELAY_PROCESSES = 4;
    private static final int RELAY_STREAMS = 100;
    /** Warm-up limit of each relay bulk path (three paths: the loopback rows' 30 s would leave the run no room). */
    private static final Duration RELAY_WARM_UP_LIMIT = Duration.ofSeconds(15);
    private static final Duration RELAY_STREAM_WARM_UP = Duration.ofSeconds(3);
    private static final Duration RELAY_STREAM_TIME = Duration.ofSeconds(4);
    /** Kafka (issue 21): bytes of record values per measured pass (full run, quick run), and records the offline consumer catches up on. */
    private static final long KAFKA_PASS_BYTES = 256L << 20;
    private static final long KAFKA_PASS_BYTES_QUICK = 16L << 20;
    private static final int KAFKA_CATCH_UP = 100_000;
    private static final int KAFKA_CATCH_UP_QUICK = 10_000;
    /** Warm-up limit of each Kafka path (a pair of clients through the in-process broker). */
    private static final Duration KAFKA_WARM_UP_LIMIT = Duration.ofSeconds(15);

    record Row(String figure, String hopseal, String peer, String ratio, String aim) {
    }

    private final boolean quick;
    private final Path out;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Double> scores = new LinkedHashMap<>();
    private final Map<PlainTlsCheck.Figure, Double> tlsPeer = new EnumMap<>(PlainTlsCheck.Figure.class);
    private Map<PlainTlsCheck.Figure, Double> tlsCheck = Map.of();

    private BenchMain(boolean quick, Path out) {
        this.quick = quick;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        CommandArgs.parse("bench", args, Set.of("--quick", "--tls-check", "--portals", "--relays", "--tpm", "--kafka", "--pq"),
                Set.of("--seconds", "--out"));
        if (List.of(args).contains("--tls-check")) {
            PlainTlsCheck.main(args);
            System.exit(0);
        }
        boolean quick = List.of(args).contains("--quick");
        if (List.of(args).contains("--portals")) {
            BenchMain portals = new BenchMain(quick, null);
            portals.portalRows();
            System.out.println(portals.table());
            System.exit(0);
        }
        if (List.of(args).contains("--tpm")) {
            if (System.getenv(HandshakeBench.TPM_ENV) == null) {
                System.err.println("hopseal bench --tpm: no TPM token (" + HandshakeBench.TPM_ENV + " is not set; 'hopseal bench' sets it when"
                        + " swtpm, tpm2-abrmd and tpm2-pkcs11 are installed)");
                System.exit(2);
            }
            BenchMain tpm = new BenchMain(quick, null);
            tpm.tpmRows();
            System.out.println(tpm.table());
            System.exit(0);
        }
        if (List.of(args).contains("--pq")) {
            BenchMain pq = new BenchMain(quick, null);
            pq.postQuantumOnly();
            System.out.println(pq.table());
            System.exit(0);
        }
        if (List.of(args).contains("--kafka")) {
            BenchMain kafka = new BenchMain(quick, null);
            long start = System.nanoTime();
            kafka.kafkaRows();
            System.out.println(kafka.table());
            System.out.println("kafka rows: " + Math.round((System.nanoTime() - start) / 1e9) + " s");
            System.exit(0);
        }
        if (List.of(args).contains("--relays")) {
            BenchMain relays = new BenchMain(quick, null);
            long start = System.nanoTime();
            relays.relayRows();
            System.out.println(relays.table());
            System.out.println("relay rows: " + Math.round((System.nanoTime() - start) / 1e9) + " s");
            System.exit(0);
        }
        Path out = quick ? Path.of("bench-results", "tmp") : Path.of("bench-results");
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--out")) {
                out = Path.of(args[i + 1]);
            }
        }
        new BenchMain(quick, out).run();
        System.exit(0);
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        boolean hsm = System.getenv(HandshakeBench.HSM_ENV) != null;
        boolean tpm = System.getenv(HandshakeBench.TPM_ENV) != null;
        runJmh(hsm, tpm);
        tlsCheck = runTlsCheck();
        routingRows();
        vaultRows();
        handshakeRows(hsm, tpm);
        throughputRows();
        loopbackRows();
        portalRows();
        relayRows();
        kafkaRows();
        scaleRows();
        fileVaultRows();
        String table = table() + "\n" + tlsCheckTable();
        System.out.println();
        System.out.println(table);
        warnIfPeerDiffers();
        Files.createDirectories(out);
        String cpu = cpuModel();
        String header = "# Hopseal benchmark results\n\nDate: " + LocalDate.now() + "; CPU: " + cpu + " ("
                + Runtime.getRuntime().availableProcessors() + " cores); JDK: " + System.getProperty("java.vm.name") + " "
                + Runtime.version() + "; mode: " + (quick ? "quick (smoke test: figures only, no ratios)" : "full") + "; run time: "
                + Math.round((System.nanoTime() - start) / 1e9) + " s.\n\n";
        Files.writeString(out.resolve("results.md"), header + table + "\n");
        chart(out.resolve("throughput.png"));
        System.out.println("wrote " + out.resolve("results.md") + " and " + out.resolve("throughput.png"));
    }

    // ---- JMH --------------------------------------------------------------------------------------------------

    private void runJmh(boolean hsm, boolean tpm) throws Exception {
        ChainedOptionsBuilder others = common().include(PrimitivesBench.class.getSimpleName())
                .include(RoutingBench.class.getSimpleName()).include(ThroughputBench.class.getSimpleName());
        ChainedOptionsBuilder handshakes = common().include(HandshakeBench.class.getSimpleName());
        if (hsm) {
            others.include(HsmBench.class.getSimpleName());
        } else {
            handshakes.exclude("authenticatedNoiseChannelHsmIdentity");
        }
        if (tpm) {
            others.include(TpmBench.class.getSimpleName());
        } else {
            handshakes.exclude("authenticatedNoiseChannel(Tpm|P256)Identity");
        }
        runJmh(others, handshakes);
    }

    /**
     * Runs {@code others} (if not null) at the primitives' settings and {@code handshakes} at the handshakes' (a long
     * warm-up), and keeps the scores.
     */
    private void runJmh(ChainedOptionsBuilder others, ChainedOptionsBuilder handshakes) throws Exception {
        if (quick) {
            for (ChainedOptionsBuilder o : others == null ? List.of(handshakes) : List.of(others, handshakes)) {
                o.warmupIterations(1).warmupTime(TimeValue.milliseconds(400)).measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(700));
            }
        } else if (others != null) {
            others.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(2));
        }
        if (!quick) {
            // Handshakes warm up for 10 s: JDK TLS handshakes were still getting faster after 7 s (95 to 130/s here),
            // Hopseal's channels get the same.
            handshakes.warmupIterations(5).warmupTime(TimeValue.seconds(2)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(2));
        }
        List<RunResult> results = new ArrayList<>(others == null ? List.of() : new Runner(others.build()).run());
        results.addAll(new Runner(handshakes.build()).run());
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            String size = r.getParams().getParam("size");
            scores.put(size == null ? name : name + "@" + size, r.getPrimaryResult().getScore());
        }
    }

    private static ChainedOptionsBuilder common() {
        return new OptionsBuilder().forks(1).shouldFailOnError(true)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
    }

    private double score(String name) {
        Double s = scores.get(name);
        if (s == null) {
            throw new IllegalStateException("no result for " + name);
        }
        return s;
    }

    // ---- rows -------------------------------------------------------------------------------------------------

    private void add(String figure, String hopseal, String peer, String ratio, String aim) {
        rows.add(new Row(figure, hopseal, peer, ratio, aim));
    }

    private static String f(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** {@code a / b}; "–" in a quick run, whose short measurements make ratios swing too far to mean anything. */
    private String ratio(double a, double b) {
        if (quick) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", a / b);
    }

    private void routingRows() {
        add("messages/s through one local hop", f(score("throughOneHop")), "–", "–", "≥ 1,000,000");
        add("messages/s through a chain of 10 hops", f(score("throughTenHops")), "–", "–", "–");
    }

    private void vaultRows() {
        String[][] pairs = {
            {"X25519 agreement", "vaultX25519Agree", "rawX25519Agree"},
            {"X25519 key generation", "vaultX25519Keygen", "rawX25519Keygen"},
            {"Ed25519 sign", "vaultEd25519Sign", "rawEd25519Sign"},
            {"Ed25519 verify", "vaultEd25519Verify", "rawEd25519Verify"},
            {"P-256 sign", "vaultP256Sign", "rawP256Sign"},
            {"P-256 verify", "vaultP256Verify", "rawP256Verify"},
            {"AES-256-GCM 1 KiB", "vaultAesGcm1k", "rawAesGcm1k"},
            {"AES-256-GCM 64 KiB", "vaultAesGcm64k", "rawAesGcm64k"}};
        for (String[] p : pairs) {
            add("vault " + p[0] + " ops/s (peer: the raw library call)", f(score(p[1])), f(score(p[2])), ratio(score(p[1]), score(p[2])), "≥ 0.90×");
        }
    }

    private double xxBound() {
        return 1 / (2 / score("rawX25519Keygen") + 6 / score("rawX25519Agree"));
    }

    private double authenticatedBound() {
        return 1 / (2 / score("rawX25519Keygen") + 6 / score("rawX25519Agree") + 2 / score("rawEd25519Sign") + 2 / score("rawEd25519Verify"));
    }

    /**
     * {@code hopseal bench --tpm}: only the TPM rows, software channels measured in the same run as their peer.
     * The TPM is swtpm, a simulator: a hardware TPM takes tens of milliseconds per signature.
     */
    private void tpmRows() throws Exception {
        runJmh(common().include(TpmBench.class.getSimpleName()),
                common().include(HandshakeBench.class.getSimpleName() + "\\.authenticatedNoiseChannel((Tpm|P256)Identity)?$"));
        addTpmRows(score("authenticatedNoiseChannel"));
    }

    /** The TPM channel rows beside a P-256 identity in software (like for like) and the default Ed25519 one. */
    private void addTpmRows(double ed25519) {
        double t = score("authenticatedNoiseChannelTpmIdentity");
        double p256 = score("authenticatedNoiseChannelP256Identity");
        add("XX channels/s, P-256 identity in a TPM (swtpm, a simulator) (peer: P-256 identity in software)", f(t), f(p256),
                ratio(t, p256), "–");
        add("XX channels/s, P-256 identity in a TPM (swtpm, a simulator) (peer: Ed25519 identity in software)", f(t), f(ed25519),
                ratio(t, ed25519), "–");
        add("TPM (swtpm, a simulator) P-256 signatures/s", f(score("tpmP256Sign")), "–", "–", "–");
    }

    /** Only the handshake benchmarks that the post-quantum rows compare ({@code hopseal bench --pq}). */
    private void postQuantumOnly() throws Exception {
        runJmh(null, common().include(HandshakeBench.class.getSimpleName()
                + "\\.(noiseXxEngine|noiseXxHfsEngine|authenticatedNoiseChannel|authenticatedHybridChannel)$"));
        postQuantumRows();
    }

    /** Hybrid (X25519 + ML-KEM-768) handshakes beside classical ones in the same run, and their bytes on the wire. */
    private void postQuantumRows() {
        double xx = score("noiseXxEngine");
        double auth = score("authenticatedNoiseChannel");
        double hfs = score("noiseXxHfsEngine");
        add("hybrid XXhfs (X25519 + ML-KEM-768) handshakes/s, engine only (peer: classical XX engine)", f(hfs), f(xx), ratio(hfs, xx),
                "≥ 0.70×");
        double hybrid = score("authenticatedHybridChannel");
        add("authenticated hybrid channels/s in one node (peer: authenticated classical XX channels)", f(hybrid), f(auth),
                ratio(hybrid, auth), "≥ 0.70×");
        int hybridBytes = HandshakeBench.wireBytes(NoiseProtocol.XXHFS_25519_MLKEM768_AESGCM_SHA256);
        int classicalBytes = HandshakeBench.wireBytes(NoiseProtocol.XX_25519_AESGCM_SHA256);
        add("bytes on the wire per handshake, hybrid, Noise messages with empty payloads (peer: classical)", f(hybridBytes),
                f(classicalBytes), ratio(hybridBytes, classicalBytes), "–");
    }

    private void handshakeRows(boolean hsm, boolean tpm) {
        double xx = score("noiseXxEngine");
        double auth = score("authenticatedNoiseChannel");
        add("Noise XX handshakes/s, engine only (peer: bound from primitive rates)", f(xx), f(xxBound()), ratio(xx, xxBound()), "≥ 0.80× (≥ 1,400/s)");
        add("authenticated XX channels/s in one node (peer: bound)", f(auth), f(authenticatedBound()), ratio(auth, authenticatedBound()), "≥ 0.80× (≥ 1,000/s)");
        double tlsP256 = score("tls13MutualP256");
        tlsPeer.put(PlainTlsCheck.Figure.HANDSHAKES, tlsP256);
        add("authenticated XX channels/s (peer: TLS 1.3 full mutual handshakes, P-256 certs)", f(auth), f(tlsP256), ratio(auth, tlsP256), "≥ 2.5×");
        add("authenticated XX channels/s (peer: TLS 1.3 full mutual handshakes, Ed25519 certs)", f(auth), f(score("tls13MutualEd25519")), ratio(auth, score("tls13MutualEd25519")), "≥ 4×");
        add("X3DH channels/s (peer: Noise XX channels)", f(score("authenticatedX3dhChannel")), f(auth), ratio(score("authenticatedX3dhChannel"), auth), "–");
        postQuantumRows();
        if (hsm) {
            double h = score("authenticatedNoiseChannelHsmIdentity");
            add("XX channels/s, identity on SoftHSM (peer: identity in software)", f(h), f(auth), ratio(h, auth), "≥ 0.60×");
            add("SoftHSM Ed25519 signatures/s", f(score("hsmEd25519Sign")), "–", "–", "–");
            add("SoftHSM P-256 signatures/s", f(score("hsmP256Sign")), "–", "–", "–");
        }
        if (tpm) {
            addTpmRows(auth);
        }
    }

    private double mbps(String name, String size) {
        return score(name + "@" + size) * Integer.parseInt(size) / 1e6;
    }

    private void throughputRows() {
        for (String size : SIZES) {
            double h = mbps("hopsealChannel", size);
            double t = mbps("tls13Engine", size);
            double a = mbps("aesGcmBound", size);
            add("channel MB/s in one node, " + size + " B (peer: SSLEngine wrap+unwrap)", f(h), f(t), ratio(h, t),
                    size.equals("1024") || size.equals("65536") ? "≥ 1.3×" : "–");
            add("channel MB/s in one node, " + size + " B (peer: AES-256-GCM encrypt+decrypt bound)", f(h), f(a), ratio(h, a),
                    size.equals("65536") ? "≥ 0.60×" : "–");
        }
    }

    private void loopbackRows() throws Exception {
        long total = quick ? 64L << 20 : 512L << 20;
        int echoes = quick ? 2_000 : 20_000;
        int channels = quick ? 100 : 500;
        // A quick run (a smoke test) warms up for a fixed half second.
        Duration warm = quick ? LOOPBACK_WARM_UP_QUICK : LOOPBACK_WARM_UP;
        Duration handshakeWarm = quick ? LOOPBACK_WARM_UP_QUICK : HANDSHAKE_WARM_UP;
        Duration limit = quick ? LOOPBACK_WARM_UP_QUICK : WARM_UP_LIMIT;
        try (Loopback lb = new Loopback()) {
            // Each side runs untimed first, in rounds of a quarter of its measurement until its rate is steady, so that
            // no side is timed while the JIT of either process still compiles it (as JMH's warm-up does in process).
            for (int size : new int[] {1024, 65536}) {
                warmUp(warm, limit, () -> lb.hopsealBulk(size, total / 4));
                warmUp(warm, limit, () -> lb.tlsBulk(size, total / 4));
                warmUp(warm, limit, () -> lb.plainBulk(size, total / 4));
                double h = lb.hopsealBulk(size, total);
                double t = lb.tlsBulk(size, total);
                double p = lb.plainBulk(size, total);
                tlsPeer.put(size == 1024 ? PlainTlsCheck.Figure.BULK_1K : PlainTlsCheck.Figure.BULK_64K, t);
                add("loopback bulk MB/s, " + size + " B messages (peer: TLS 1.3 SSLSocket)", f(h), f(t), ratio(h, t), "≥ 1×");
                add("loopback bulk MB/s, " + size + " B messages (peer: plain TCP)", f(h), f(p), ratio(h, p), "–");
            }
            warmUp(warm, limit, () -> lb.hopsealEcho(echoes / 4).medianMicros());
            warmUp(warm, limit, () -> lb.tlsEcho(echoes / 4).medianMicros());
            warmUp(warm, limit, () -> lb.plainEcho(echoes / 4).medianMicros());
            Loopback.Latency h = lb.hopsealEcho(echoes);
            Loopback.Latency t = lb.tlsEcho(echoes);
            Loopback.Latency p = lb.plainEcho(echoes);
            add("loopback 64 B echo median µs (peer: TLS 1.3)", f(h.medianMicros()), f(t.medianMicros()), ratio(h.medianMicros(), t.medianMicros()), "–");
            add("loopback 64 B echo p99 µs (peer: TLS 1.3)", f(h.p99Micros()), f(t.p99Micros()), ratio(h.p99Micros(), t.p99Micros()), "≤ 1×");
            add("loopback 64 B echo median µs (peer: plain TCP)", f(h.medianMicros()), f(p.medianMicros()), ratio(h.medianMicros(), p.medianMicros()), "–");
            warmUp(handshakeWarm, limit, () -> lb.hopsealChannelsPerSecond(channels / 4));
            warmUp(handshakeWarm, limit, () -> lb.tlsConnectionsPerSecond(channels / 4));
            double hc = lb.hopsealChannelsPerSecond(channels);
            double tc = lb.tlsConnectionsPerSecond(channels);
            tlsPeer.put(PlainTlsCheck.Figure.CONNECTIONS, tc);
            add("loopback new authenticated channels/s (peer: TLS 1.3 connections/s, a full mutual handshake each)", f(hc), f(tc), ratio(hc, tc), "≥ 3×");
        }
    }

    /**
     * Portals beside stunnel (TLS 1.3, mutual P-256 certificates, two processes) and direct TCP, with the same
     * applications on each path: iperf3 bulk both ways, new connections with a first-byte round trip, pgbench.
     */
    private void portalRows() throws Exception {
        int seconds = quick ? 1 : 8;
        int connections = quick ? 50 : 500;
        // Each path runs untimed until its rate is steady (the portal's two JVMs take 10-20 s to compile its path).
        Duration warm = quick ? LOOPBACK_WARM_UP_QUICK : LOOPBACK_WARM_UP;
        Duration limit = quick ? LOOPBACK_WARM_UP_QUICK : WARM_UP_LIMIT;
        Path dir = Files.createTempDirectory("hopseal-portal-bench");
        try (PortalBench bench = new PortalBench(dir)) {
            for (boolean reverse : new boolean[] {false, true}) {
                String direction = reverse ? "server → client" : "client → server";
                Map<PortalBench.Path3, Double> mbps = new EnumMap<>(PortalBench.Path3.class);
                for (PortalBench.Path3 path : PortalBench.Path3.values()) {
                    warmUp(warm, limit, () -> bench.bulk(path, reverse, 2));
                    mbps.put(path, bench.bulk(path, reverse, seconds));
                }
                double h = mbps.get(PortalBench.Path3.PORTAL);
                double s = mbps.get(PortalBench.Path3.STUNNEL);
                double d = mbps.get(PortalBench.Path3.DIRECT);
                add("portal bulk MB/s, " + direction + ", iperf3 64 KiB writes (peer: stunnel TLS 1.3)", f(h), f(s), ratio(h, s), "≥ 1×");
                add("portal bulk MB/s, " + direction + " (peer: direct TCP)", f(h), f(d), ratio(h, d), "–");
            }
            Map<PortalBench.Path3, PortalBench.Connections> conns = new EnumMap<>(PortalBench.Path3.class);
            for (PortalBench.Path3 path : PortalBench.Path3.values()) {
                warmUp(warm, limit, () -> bench.connections(path, connections / 5).perSecond());
                conns.put(path, bench.connections(path, connections));
            }
            PortalBench.Connections h = conns.get(PortalBench.Path3.PORTAL);
            PortalBench.Connections s = conns.get(PortalBench.Path3.STUNNEL);
            PortalBench.Connections d = conns.get(PortalBench.Path3.DIRECT);
            add("portal new connections + first byte round trip, per second (peer: stunnel, a TLS handshake each)", f(h.perSecond()),
                    f(s.perSecond()), ratio(h.perSecond(), s.perSecond()), "≥ 10×");
            add("portal new connection + first byte, median ms (peer: stunnel)", f(h.medianMillis()), f(s.medianMillis()),
                    ratio(h.medianMillis(), s.medianMillis()), "–");
            add("portal new connection + first byte, p99 ms (peer: stunnel)", f(h.p99Millis()), f(s.p99Millis()),
                    ratio(h.p99Millis(), s.p99Millis()), "–");
            add("portal new connection + first byte, median ms (peer: direct TCP)", f(h.medianMillis()), f(d.medianMillis()),
                    ratio(h.medianMillis(), d.medianMillis()), "–");
            Map<PortalBench.Path3, Double> tps = new EnumMap<>(PortalBench.Path3.class);
            for (PortalBench.Path3 path : PortalBench.Path3.values()) {
                warmUp(warm, limit, () -> bench.pgbench(path, 2));
                tps.put(path, bench.pgbench(path, quick ? 2 : 10));
            }
            double ht = tps.get(PortalBench.Path3.PORTAL);
            double st = tps.get(PortalBench.Path3.STUNNEL);
            double dt = tps.get(PortalBench.Path3.DIRECT);
            add("portal pgbench select-only TPS, 8 clients (peer: stunnel)", f(ht), f(st), ratio(ht, st), "≥ 0.9×");
            add("portal pgbench select-only TPS, 8 clients (peer: direct TCP)", f(ht), f(dt), ratio(ht, dt), "–");
        }
    }

    /**
     * Relays (issue 19), every node in a process of its own ({@link RelayBench}): bulk through a relay host beside the
     * same two nodes connected directly, and beside the loopback bulk row's own server in the same minutes (so that a
     * direct figure lower than that row's, which would flatter the relay, shows); then the relay host's memory per
     * registration of {@link #RELAYS} hidden nodes; then 64 KiB messages through {@link #RELAY_STREAMS} of them at once.
     */
    private void relayRows() throws Exception {
        int size = 65536;
        long total = quick ? 64L << 20 : 512L << 20;
        int relays = quick ? 100 : RELAYS;
        int processes = quick ? 2 : RELAY_PROCESSES;
        int streams = quick ? 10 : RELAY_STREAMS;
        int rounds = quick ? 1 : 2;
        Duration warm = quick ? LOOPBACK_WARM_UP_QUICK : LOOPBACK_WARM_UP;
        Duration limit = quick ? LOOPBACK_WARM_UP_QUICK : RELAY_WARM_UP_LIMIT;
        Duration streamWarm = quick ? LOOPBACK_WARM_UP_QUICK : RELAY_STREAM_WARM_UP;
        Duration streamTime = quick ? STREAM_TIME_QUICK : RELAY_STREAM_TIME;
        Path logs = Files.createTempDirectory("hopseal-relay-bench");
        try (RelayBench bench = new RelayBench(logs)) {
            double direct = 0;
            double relayed = 0;
            double loopback = 0;
            // Messages sent and lost on each path in the measured rounds, and through the relay during its warm-up.
            long[] sent = new long[2];
            long[] lost = new long[3];
            // The relay host's CPU time and the bytes relayed in the measured rounds.
            Duration hostCpu = Duration.ZERO;
            long relayedBytes = 0;
            try (Loopback lb = new Loopback()) {
                warmUp(warm, limit, () -> bench.direct(size, total / 4).mbps());
                warmUp(warm, limit, () -> {
                    Loopback.Bulk b = bench.relayed(size, total / 4);
                    lost[2] += b.sent() - b.delivered();
                    return b.mbps();
                });
                warmUp(warm, limit, () -> lb.hopsealBulk(size, total / 4));
                for (int round = 1; round <= rounds; round++) {
                    // Each round in another order, so that neither path is always measured first.
                    Loopback.Bulk d;
                    Loopback.Bulk r;
                    Duration cpuBefore;
                    if (round % 2 == 1) {
                        d = bench.direct(size, total);
                        cpuBefore = bench.hostCpu();
                        r = bench.relayed(size, total);
                        hostCpu = hostCpu.plus(bench.hostCpu().minus(cpuBefore));
                    } else {
                        cpuBefore = bench.hostCpu();
                        r = bench.relayed(size, total);
                        hostCpu = hostCpu.plus(bench.hostCpu().minus(cpuBefore));
                        d = bench.direct(size, total);
                    }
                    relayedBytes += r.delivered() * size;
                    double l = lb.hopsealBulk(size, total);
                    System.out.printf(Locale.ROOT, "relay bulk round %d: direct %.0f MB/s (%d of %d messages arrived), relayed %.0f MB/s (%d of %d), "
                            + "loopback row's server %.0f MB/s%n", round, d.mbps(), d.delivered(), d.sent(), r.mbps(), r.delivered(), r.sent(), l);
                    direct += d.mbps() / rounds;
                    relayed += r.mbps() / rounds;
                    loopback += l / rounds;
                    sent[0] += d.sent();
                    lost[0] += d.sent() - d.delivered();
                    sent[1] += r.sent();
                    lost[1] += r.sent() - r.delivered();
                }
            }
            add("relay bulk MB/s, 64 KiB messages, client → relay host → hidden node, 3 processes (peer: the same two nodes connected directly)",
                    f(relayed), f(direct), ratio(relayed, direct), "≥ 0.80×");
            add("relay bulk: 64 KiB messages lost on the way in the measured rounds (peer: connected directly)", lost[1] + " of " + sent[1],
                    lost[0] + " of " + sent[0], "–", "0");
            add("relay host CPU seconds per GB relayed in the bulk rounds (user + system; the machine has 2 cores for 3 processes)",
                    String.format(Locale.ROOT, "%.2f", hostCpu.toNanos() / 1e9 / (relayedBytes / 1e9)), "–", "–", "–");
            add("relay rows' direct bulk MB/s, 64 KiB (peer: the loopback bulk row's server, same method and minutes)", f(direct), f(loopback),
                    ratio(direct, loopback), "≈ 1× (lower would flatter the relay)");
            if (!quick && differs(direct, loopback)) {
                System.out.println("WARNING: the relay rows' direct bulk figure and the loopback row's server differ by more than 25%: the relay "
                        + "ratio may be off.");
            }
            if (lost[0] + lost[1] + lost[2] > 0) {
                System.out.printf(Locale.ROOT, "WARNING: messages were lost: %d directly, %d through the relay (%d more in its warm-up). The "
                        + "bulk figures count only what arrived.%n", lost[0], lost[1], lost[2]);
            }

            RelayBench.Registrations reg = bench.register(relays, processes);
            System.out.printf(Locale.ROOT, "relay host before: %s; after: %s%n", reg.before(), reg.after());
            if (!quick) {
                bench.histogram(relays);
            }
            String who = relays + " hidden nodes in " + processes + " processes, each its own identity and TCP connection";
            add("relay host heap bytes per registration, after GC (" + who + ")", f(reg.heapPerRegistration()), "–", "–", "–");
            add("relay host direct-buffer bytes per registration (off the heap, same run)", f(reg.directPerRegistration()), "–", "–", "–");
            add("seconds from starting the " + processes + " processes until " + relays + " hidden nodes registered ("
                    + RelayBench.REGISTERING_AT_ONCE + " at a time per process)", f(reg.seconds()), "–", "–", "–");

            long idleAgain = bench.reregistrations();
            add("registrations lost and made again before any stream (while registering, measuring and idle), of " + relays,
                    String.valueOf(idleAgain), "–", "–", "0");
            double opened = bench.openStreams(streams);
            System.out.printf(Locale.ROOT, "relay streams: %d channels through %d relays opened in %.1f s%n", streams, streams, opened);
            // One untimed pass first, so that the hidden nodes' processes have compiled their path.
            if (!quick) {
                printStreams("untimed pass", streams, bench.streams(streams, size, streamWarm, streamWarm));
            }
            double one = 0;
            double all = 0;
            long streamSent = 0;
            long streamLost = 0;
            int failed = 0;
            long again = 0;
            int reopened = 0;
            for (int round = 1; round <= rounds; round++) {
                RelayBench.Streamed r1 = bench.streams(1, size, streamWarm, streamTime);
                printStreams("round " + round + ", one relay", 1, r1);
                RelayBench.Streamed rn = bench.streams(streams, size, streamWarm, streamTime);
                printStreams("round " + round, streams, rn);
                one += r1.mbps() / rounds;
                all += rn.mbps() / rounds;
                for (RelayBench.Streamed r : List.of(r1, rn)) {
                    streamSent += r.sent();
                    streamLost += r.sent() - r.delivered();
                    failed += r.failed();
                    again += r.reregistrations();
                    reopened += r.reopened();
                }
            }
            add("64 KiB messages through one relay, MB/s (one client streaming to one hidden node of the " + relays + ")", f(one), "–", "–", "–");
            add("64 KiB messages through " + streams + " relays at once, total MB/s (" + streams + " clients, each its own node and "
                    + "channel to a different hidden node; peer: one relay alone)", f(all), f(one), ratio(all, one), "–");
            add("relay streams, measured passes: 64 KiB messages lost on the way (streams that ended with their sink's count)",
                    streamLost + " of " + streamSent, "–", "–", "0");
            add("relay streams, measured passes: streams that failed (channel closed or sink silent), of " + rounds * (streams + 1),
                    String.valueOf(failed), "–", "–", "0");
            add("relay streams, measured passes: registrations lost and made again, of " + relays, String.valueOf(again), "–", "–", "0");
            add("relay streams, measured passes: client channels found closed before a pass (the relay host closed their quiet connection) "
                    + "and opened again", String.valueOf(reopened), "–", "–", "0");
        }
    }

    /**
     * Kafka end to end (issue 21; {@link KafkaBench}): one broker in this process for every row. For 1 KiB and 64 KiB
     * values, a producer and a consumer (its own group, joined first) with Hopseal's serializers beside the same with
     * Kafka's plain ones, the same settings on both: each pair warms up until steady, then both are measured in
     * alternating order, and the rows give the median pass (first send to last record consumed). Then an offline
     * consumer catching up on records produced while it was away, plain and encrypted in alternating order.
     */
    private void kafkaRows() throws Exception {
        int rounds = quick ? 1 : 3;
        Duration warm = quick ? LOOPBACK_WARM_UP_QUICK : LOOPBACK_WARM_UP;
        Duration limit = quick ? LOOPBACK_WARM_UP_QUICK : KAFKA_WARM_UP_LIMIT;
        try (KafkaBench bench = new KafkaBench(Files.createTempDirectory("hopseal-kafka-bench"))) {
            for (int size : new int[] {1024, 65536}) {
                int records = (int) ((quick ? KAFKA_PASS_BYTES_QUICK : KAFKA_PASS_BYTES) / size);
                String label = size / 1024 + " KiB";
                List<KafkaBench.Pass> plain = new ArrayList<>();
                List<KafkaBench.Pass> hopseal = new ArrayList<>();
                try (KafkaBench.Pair p = bench.pair(false, size); KafkaBench.Pair h = bench.pair(true, size)) {
                    warmUp(warm, limit, () -> p.pass(records / 4).mbps());
                    warmUp(warm, limit, () -> h.pass(records / 4).mbps());
                    for (int round = 1; round <= rounds; round++) {
                        // Each round in another order, so that neither side is always measured first.
                        for (KafkaBench.Pair pair : round % 2 == 1 ? List.of(p, h) : List.of(h, p)) {
                            KafkaBench.Pass pass = pair.pass(records);
                            (pair.encrypted ? hopseal : plain).add(pass);
                            System.out.printf(Locale.ROOT, "%s kafka %s round %d, %s: %d records in %.2f s (produced in %.2f s): %.0f records/s, "
                                    + "%.0f MB/s; process CPU %.2f µs a record%n", LocalTime.now().withNano(0), label, round,
                                    pair.encrypted ? "Hopseal" : "plain", pass.records(), pass.seconds(), pass.produceSeconds(),
                                    pass.recordsPerSecond(), pass.mbps(), pass.cpuMicrosPerRecord());
                        }
                    }
                }
                KafkaBench.Pass h = medianPass(hopseal);
                KafkaBench.Pass p = medianPass(plain);
                String aim = size == 1024 ? "≥ 0.80×" : "≥ 0.90×";
                String median = rounds > 1 ? ", median of " + rounds + " passes of " + records : ", " + records + " records";
                add("Kafka produce and consume records/s, " + label + " values, one producer and one consumer through a broker in the bench's "
                        + "process" + median + " (peer: plain Kafka serializers)", f(h.recordsPerSecond()), f(p.recordsPerSecond()),
                        ratio(h.recordsPerSecond(), p.recordsPerSecond()), aim);
                add("Kafka produce and consume MB/s, " + label + " values (peer: plain Kafka serializers)", f(h.mbps()), f(p.mbps()),
                        ratio(h.mbps(), p.mbps()), aim);
                // CPU per record moves less than the rates when something else runs on the machine.
                double hc = median(hopseal.stream().mapToDouble(KafkaBench.Pass::cpuMicrosPerRecord).toArray());
                double pc = median(plain.stream().mapToDouble(KafkaBench.Pass::cpuMicrosPerRecord).toArray());
                add("Kafka produce and consume, " + label + " values: CPU µs per record of the whole process (producer, broker and consumer)"
                        + (rounds > 1 ? ", median" : "") + " (peer: plain Kafka serializers)", f(hc), f(pc), ratio(hc, pc), "–");
            }
            int n = quick ? KAFKA_CATCH_UP_QUICK : KAFKA_CATCH_UP;
            // A catch-up takes 0.1-0.6 s here, so one group join or collection moves it by half: five rounds, not three.
            int catchUpRounds = quick ? 1 : 5;
            List<KafkaBench.CatchUp> plain = new ArrayList<>();
            List<KafkaBench.CatchUp> hopseal = new ArrayList<>();
            for (int round = 1; round <= catchUpRounds; round++) {
                for (boolean encrypted : round % 2 == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    KafkaBench.CatchUp c = bench.catchUp(encrypted, 1024, n);
                    (encrypted ? hopseal : plain).add(c);
                    System.out.printf(Locale.ROOT, "%s kafka catch-up round %d, %s: %d records in %.2f s (deserializer configured in %.2f s before)%n",
                            LocalTime.now().withNano(0), round, encrypted ? "Hopseal" : "plain", c.records(), c.seconds(), c.configureSeconds());
                }
            }
            hopseal.sort(Comparator.comparingDouble(KafkaBench.CatchUp::seconds));
            plain.sort(Comparator.comparingDouble(KafkaBench.CatchUp::seconds));
            KafkaBench.CatchUp h = hopseal.get((hopseal.size() - 1) / 2);
            KafkaBench.CatchUp p = plain.get((plain.size() - 1) / 2);
            add("Kafka offline consumer catching up on " + String.format(Locale.ROOT, "%,d", n) + " 1 KiB records, seconds from its start "
                    + "(a new group) to the last record" + (catchUpRounds > 1 ? ", median of " + catchUpRounds : "") + " (peer: plain Kafka serializers)",
                    f(h.seconds()), f(p.seconds()), ratio(h.seconds(), p.seconds()), "–");
            add("Kafka offline consumer: HopsealDeserializer configure before it starts, ms (opens the reader's file vault, Argon2id "
                    + "64 MiB, and announces its key again)", f(h.configureSeconds() * 1000), "–", "–", "–");
        }
    }

    /** The median of {@code values} (the lower middle one of an even number). */
    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    /** The pass of median time among {@code passes} (the lower middle one of an even number). */
    private static KafkaBench.Pass medianPass(List<KafkaBench.Pass> passes) {
        List<KafkaBench.Pass> sorted = new ArrayList<>(passes);
        sorted.sort(Comparator.comparingDouble(KafkaBench.Pass::seconds));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static void printStreams(String pass, int streams, RelayBench.Streamed r) {
        System.out.printf(Locale.ROOT, "%s relay streams %s: %d relays %.0f MB/s; %d of %d messages arrived; %d streams failed%s; %d registrations "
                + "made again; %d channels found closed and opened again first%n", LocalTime.now().withNano(0), pass, streams, r.mbps(), r.delivered(),
                r.sent(), r.failed(), r.failed() > 0 ? " (first: " + r.firstFailure() + ")" : "", r.reregistrations(), r.reopened());
    }

    /**
     * Runs {@code round} untimed, for at least {@code least} and until two rounds in a row measure within
     * {@link #STEADY} of each other, or {@code limit} has passed.
     */
    private static void warmUp(Duration least, Duration limit, Callable<Double> round) throws Exception {
        long start = System.nanoTime();
        double last = round.call();
        while (true) {
            double next = round.call();
            long elapsed = System.nanoTime() - start;
            boolean steady = Math.abs(next / last - 1) <= STEADY;
            if (elapsed >= limit.toNanos() || (steady && elapsed >= least.toNanos())) {
                return;
            }
            last = next;
        }
    }

    /**
     * Runs {@link ScaleHarness} in its own JVM with {@code heap} as its {@code -Xmx}, echoes its progress and detail
     * lines, and returns the fields of its result line (the one starting with {@code result}). Stops a harness that
     * runs longer than {@link #SCALE_TIMEOUT}.
     */
    private String[] harness(String heap, String result, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx" + heap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"), ScaleHarness.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(SCALE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.out.println("the scale harness (" + String.join(" ", args) + ") did not finish within " + SCALE_TIMEOUT + "; stopping it");
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String[] found = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(result + " ")) {
                    found = line.split(" ");
                } else if (line.startsWith("PROGRESS ") || line.startsWith("ROUND ") || line.startsWith("HISTOGRAM ")) {
                    System.out.println("scale: " + line);
                }
            }
        }
        watchdog.join(SCALE_TIMEOUT.plusMinutes(1));
        if (found == null) {
            throw new IllegalStateException("the scale harness (" + String.join(" ", args) + ") printed no result (exit "
                    + (p.waitFor(10, TimeUnit.SECONDS) ? String.valueOf(p.exitValue()) : "unknown") + ")");
        }
        return found;
    }

    /** Runs {@link PlainTlsCheck} in its own JVM and reads its figures. */
    private Map<PlainTlsCheck.Figure, Double> runTlsCheck() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), PlainTlsCheck.class.getName(),
                "--seconds", quick ? TLS_CHECK_SECONDS_QUICK : TLS_CHECK_SECONDS)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // Ends a check that hangs, which also ends the reading below.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(TLS_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.out.println("the plain TLS check did not finish within " + TLS_CHECK_TIMEOUT + "; stopping it");
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Map<PlainTlsCheck.Figure, Double> figures = new EnumMap<>(PlainTlsCheck.Figure.class);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(PlainTlsCheck.LINE_PREFIX)) {
                    String[] f = line.substring(PlainTlsCheck.LINE_PREFIX.length()).split(" ");
                    figures.put(PlainTlsCheck.Figure.valueOf(f[0]), Double.parseDouble(f[1]));
                } else {
                    System.out.println("tls-check: " + line);
                }
            }
        }
        watchdog.join();
        if (p.exitValue() != 0 || figures.size() != PlainTlsCheck.Figure.values().length) {
            throw new IllegalStateException("the plain TLS check failed (exit " + p.exitValue() + ", output above)");
        }
        return figures;
    }

    private void scaleRows() throws Exception {
        int target = quick ? 2_000 : CHANNELS_AIM;
        List<String> args = new ArrayList<>(List.of("channels", String.valueOf(target), String.valueOf(OPEN_DEADLINE.toSeconds())));
        if (!quick) {
            args.add("--histogram");
        }
        String[] c = harness(CHANNELS_HEAP, "SCALE", args.toArray(String[]::new));
        int opened = Integer.parseInt(c[2]);
        double heap = Double.parseDouble(c[4]);
        String count = opened == target ? String.valueOf(opened) : opened + " of " + target + " (open deadline " + OPEN_DEADLINE.toSeconds() + " s)";
        add(count + " authenticated channels in one node: heap MiB after GC", f(heap / (1 << 20)), "–", "–", "100,000 in ≤ 2 GiB");
        add("bytes per channel (both ends in the node)", f(heap / opened), "–", "–", "–");
        // Only a run cut short by the deadline projects: a quick run's 2,000 channels measured 26,879 bytes each where
        // 100,000 measured 18,654 (stack chunks weigh more per channel in small runs), so it would overstate the heap.
        if (opened < target) {
            add("heap MiB for 100,000 channels at that rate (projected, not measured)", f(heap / opened * CHANNELS_AIM / (1 << 20)), "–", "–", "≤ 2,048");
        }
        add("seconds to open " + opened + " channels (" + ChannelOpener.OPENERS + " at a time)", f(Double.parseDouble(c[3])), "–", "–", "–");
        streamRows();
        int workers = quick ? 20_000 : 100_000;
        String[] w = harness("2g", "SCALE", "workers", String.valueOf(workers));
        double wheap = Double.parseDouble(w[4]);
        add(workers + " idle workers: heap MiB after GC", f(wheap / (1 << 20)), "–", "–", "100,000 in < 1 GiB");
    }

    /** 1 KiB messages streamed through many channels of one node at once, against one channel alone in the same run. */
    private void streamRows() throws Exception {
        int channels = quick ? 100 : STREAMS;
        Duration time = quick ? STREAM_TIME_QUICK : STREAM_TIME;
        String[] s = harness("2g", "STREAM", "stream", String.valueOf(channels), String.valueOf(time.toSeconds()));
        double one = Double.parseDouble(s[3]);
        double all = Double.parseDouble(s[4]);
        add("1 KiB messages streamed through one channel in one node, MB/s", f(one), "–", "–", "–");
        add("1 KiB messages streamed through " + channels + " channels at once in one node, total MB/s (peer: one channel)", f(all), f(one),
                ratio(all, one), "≥ 0.80× (1,000 channels)");
    }

    private void fileVaultRows() throws Exception {
        Path dir = Files.createTempDirectory("hopseal-bench-vault");
        Path file = dir.resolve("bench.vault");
        int keys = quick ? 200 : 1_000;
        try (FileVault v = FileVault.open(file, "bench".toCharArray(), KdfParameters.DEFAULT)) {
            for (int i = 0; i < keys; i++) {
                v.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            }
        }
        long start = System.nanoTime();
        FileVault v = FileVault.open(file, "bench".toCharArray(), KdfParameters.DEFAULT);
        double openMs = (System.nanoTime() - start) / 1e6;
        long[] adds = new long[20];
        for (int i = 0; i < adds.length; i++) {
            long s = System.nanoTime();
            v.generateSigningKey(KeyType.ED25519);
            adds[i] = System.nanoTime() - s;
        }
        v.close();
        Arrays.sort(adds);
        add("file vault open with " + keys + " keys, ms (Argon2id 64 MiB, 3 passes)", f(openMs), "–", "–", "–");
        add("file vault: add a key to " + keys + " keys, median ms", f(adds[adds.length / 2] / 1e6), "–", "–", "< 50 ms at 1,000 keys");
    }

    // ---- output -----------------------------------------------------------------------------------------------

    private String table() {
        StringBuilder sb = new StringBuilder("| figure | Hopseal | peer | ratio | aim |\n|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.figure()).append(" | ").append(r.hopseal()).append(" | ").append(r.peer()).append(" | ")
                    .append(r.ratio()).append(" | ").append(r.aim()).append(" |\n");
        }
        return sb.toString();
    }

    /** True when the bench's TLS peer is more than {@link #PEER_TOLERANCE} above or below the plain check. */
    private static boolean differs(double peer, double plain) {
        return Math.abs(peer / plain - 1) > PEER_TOLERANCE;
    }

    private String tlsCheckTable() {
        StringBuilder sb = new StringBuilder("TLS peer cross-check: the bench's TLS peer beside a plain JDK TLS client and server "
                + "written without the bench's helpers (`hopseal bench --tls-check`), both TLS 1.3 with mutual authentication, "
                + "P-256 certificates and full handshakes");
        if (quick) {
            sb.append("; a quick run compares nothing.\n\n| figure | bench's peer | plain check |\n|---|---:|---:|\n");
        } else {
            sb.append(".\n\n| figure | bench's peer | plain check | peer / plain | within ±25% |\n|---|---:|---:|---:|---|\n");
        }
        for (PlainTlsCheck.Figure fig : PlainTlsCheck.Figure.values()) {
            double peer = tlsPeer.get(fig);
            double plain = tlsCheck.get(fig);
            sb.append("| ").append(fig.label).append(" | ").append(f(peer)).append(" | ").append(f(plain)).append(" |");
            if (!quick) {
                sb.append(' ').append(String.format(Locale.ROOT, "%.2f×", peer / plain)).append(" | ")
                        .append(differs(peer, plain) ? "**NO: check the peer**" : "yes").append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private void warnIfPeerDiffers() {
        if (quick) {
            return;
        }
        for (PlainTlsCheck.Figure fig : PlainTlsCheck.Figure.values()) {
            if (differs(tlsPeer.get(fig), tlsCheck.get(fig))) {
                System.out.println("WARNING: the bench's TLS peer and the plain check differ by more than 25% on \""
                        + fig.label + "\"; the TLS peer rows may not show TLS at its best.");
            }
        }
    }

    private void chart(Path png) throws Exception {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (String size : SIZES) {
            String label = Integer.parseInt(size) >= 1024 ? Integer.parseInt(size) / 1024 + " KiB" : size + " B";
            d.addValue(mbps("hopsealChannel", size), "Hopseal channel (encrypt, route, decrypt)", label);
            d.addValue(mbps("tls13Engine", size), "TLS 1.3 SSLEngine wrap+unwrap", label);
            d.addValue(mbps("aesGcmBound", size), "AES-256-GCM encrypt+decrypt (bound)", label);
        }
        JFreeChart chart = ChartFactory.createBarChart("Throughput by message size (one JVM, " + LocalDate.now() + ")",
                "message size", "MB/s", d, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 500);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }
}
