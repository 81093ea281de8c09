package org.hopseal.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Portals beside stunnel and direct TCP, each path carrying the same real applications: iperf3 (bulk, 64 KiB
 * writes, both directions), a one-byte echo server (a new connection and its first byte's round trip, through an
 * already established tunnel) and PostgreSQL ({@code pgbench} select-only, 8 clients). The portal's inlet and outlet
 * run in two processes of their own ({@link PortalPeer}), as stunnel's client and server do.
 */
final class PortalBench implements AutoCloseable {
    /** The three ways from a client to a target. */
    enum Path3 {
        DIRECT, STUNNEL, PORTAL
    }

    record Connections(double perSecond, double medianMillis, double p99Millis) {
    }

    private static final Pattern IPERF_RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");
    private static final Pattern PGBENCH_TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<Path3, Map<String, Integer>> entries = new LinkedHashMap<>();
    private final PostgresCluster postgres;

    PortalBench(Path dir) throws Exception {
        int iperf = Stunnel.freePort();
        processes.add(new ProcessBuilder("iperf3", "-s", "-p", String.valueOf(iperf), "-B", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        ServerSocket echo = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        resources.add(echo);
        Thread.ofPlatform().daemon().name("first-byte-echo").start(() -> serveFirstByte(echo));
        postgres = PostgresCluster.start();
        resources.add(postgres);
        Stunnel.awaitListening(iperf);
        Map<String, Integer> targets = new LinkedHashMap<>();
        targets.put("iperf", iperf);
        targets.put("echo", echo.getLocalPort());
        targets.put("pg", postgres.port);
        entries.put(Path3.DIRECT, targets);

        Files.createDirectories(dir);
        Stunnel stunnel = new Stunnel(dir, targets);
        resources.add(stunnel);
        Map<String, Integer> viaStunnel = new LinkedHashMap<>();
        targets.keySet().forEach(name -> viaStunnel.put(name, stunnel.entry(name)));
        entries.put(Path3.STUNNEL, viaStunnel);

        List<String> outlets = new ArrayList<>(List.of("outlet"));
        targets.forEach((name, port) -> outlets.add(name + "=127.0.0.1:" + port));
        String nodePort = startPeer(outlets).get(0)[1];
        List<String> inlets = new ArrayList<>(List.of("inlet", nodePort));
        inlets.addAll(targets.keySet());
        Map<String, Integer> viaPortal = new LinkedHashMap<>();
        for (String[] line : startPeer(inlets)) {
            viaPortal.put(line[1], Integer.parseInt(line[2]));
        }
        entries.put(Path3.PORTAL, viaPortal);
        PostgresCluster.run(List.of(postgres.tool("pgbench"), "-h", "127.0.0.1", "-p", String.valueOf(postgres.port), "-U", "postgres",
                "-i", "-s", "10", "-q", "postgres"));
    }

    /** Starts a {@link PortalPeer} and returns its ready lines, split at spaces (one per outlet node, one per inlet). */
    private List<String[]> startPeer(List<String> args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"), PortalPeer.class.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        int expected = args.get(0).equals("outlet") ? 1 : args.size() - 2;
        List<String[]> lines = new ArrayList<>();
        while (lines.size() < expected) {
            String line = r.readLine();
            if (line == null) {
                throw new IllegalStateException("the portal peer " + args + " ended before it was ready");
            }
            lines.add(line.split(" "));
        }
        return lines;
    }

    /** Bulk MB/s of iperf3 through {@code path}, 64 KiB writes, for {@code seconds}; {@code reverse}: server to client. */
    double bulk(Path3 path, boolean reverse, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("iperf3", "-c", "127.0.0.1", "-p", String.valueOf(entries.get(path).get("iperf")),
                "-t", String.valueOf(seconds), "-l", "64K", "-J"));
        if (reverse) {
            command.add("-R");
        }
        // The server takes a moment to be ready for the next test after one ends ("busy running a test").
        for (int attempt = 0; ; attempt++) {
            String json = PostgresCluster.run(command);
            Matcher m = IPERF_RECEIVED.matcher(json);
            if (m.find()) {
                return Double.parseDouble(m.group(1)) / 8 / 1e6;
            }
            if (!json.contains("busy") || attempt == 50) {
                throw new IllegalStateException("iperf3 printed no received rate: " + json);
            }
            Thread.sleep(100);
        }
    }

    /** {@code count} new connections through {@code path}, one after another, each until its first byte came back. */
    Connections connections(Path3 path, int count) throws IOException {
        int port = entries.get(path).get("echo");
        long[] nanos = new long[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(30_000);
                s.getOutputStream().write(1);
                if (s.getInputStream().read() != 1) {
                    throw new IOException("the echo through " + path + " did not answer");
                }
            }
            nanos[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        return new Connections(count / seconds, nanos[count / 2] / 1e6, nanos[(int) (count * 0.99)] / 1e6);
    }

    /** pgbench select-only transactions per second through {@code path}: 8 clients, 2 threads, {@code seconds}. */
    double pgbench(Path3 path, int seconds) throws Exception {
        String out = PostgresCluster.run(List.of(postgres.tool("pgbench"), "-h", "127.0.0.1", "-p", String.valueOf(entries.get(path).get("pg")),
                "-U", "postgres", "-S", "-c", "8", "-j", "2", "-T", String.valueOf(seconds), "postgres"));
        Matcher m = PGBENCH_TPS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("pgbench printed no rate: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Answers each connection's first byte, then closes it; one connection at a time, as the client makes them. */
    private static void serveFirstByte(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                int b = in.read();
                if (b >= 0) {
                    out.write(b);
                    out.flush();
                    in.read();
                }
            } catch (IOException e) {
                // the next connection
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }
}
