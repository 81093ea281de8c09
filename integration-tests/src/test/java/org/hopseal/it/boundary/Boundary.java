package org.hopseal.it.boundary;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hopseal.it.ChildJvm;

/** What the trust-boundary tests share: starting {@code hopseal node}, ports, heap measurements. */
final class Boundary {
    static final Duration START = Duration.ofSeconds(30);
    static final long MIB = 1024 * 1024;

    private Boundary() {
    }

    /** A {@code hopseal node} child process and what it printed when ready. */
    record NodeProcess(ChildJvm jvm, int port, String identifier) implements AutoCloseable {
        String hostPort() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void close() {
            try {
                jvm.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts {@code hopseal node --listen 127.0.0.1:0 ARGS...} and waits for {@code LISTENING <port> <identifier>}. */
    static NodeProcess hopsealNode(String... args) throws IOException, InterruptedException {
        return hopsealNode(List.of(), args);
    }

    /** As {@link #hopsealNode(String...)}, with options for the child JVM (such as {@code -Xmx96m}). */
    static NodeProcess hopsealNode(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return ready(launch(jvmOptions, args));
    }

    /** Several {@code hopseal node}s, one per argument list, started together (their JVMs start in parallel). */
    static List<NodeProcess> hopsealNodes(List<List<String>> argLists) throws IOException, InterruptedException {
        List<ChildJvm> jvms = new ArrayList<>();
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            for (List<String> args : argLists) {
                jvms.add(launch(List.of(), args.toArray(String[]::new)));
            }
            for (ChildJvm jvm : jvms) {
                nodes.add(ready(jvm));
            }
            return nodes;
        } catch (IOException | InterruptedException | AssertionError | RuntimeException e) {
            for (ChildJvm jvm : jvms) {
                jvm.close();
            }
            throw e;
        }
    }

    private static ChildJvm launch(List<String> jvmOptions, String... args) throws IOException {
        List<String> main = new ArrayList<>(jvmOptions);
        main.add("org.hopseal.cli.Main");
        List<String> all = new ArrayList<>(List.of("node", "--listen", "127.0.0.1:0"));
        all.addAll(List.of(args));
        return ChildJvm.start(Map.of(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", main, all);
    }

    private static NodeProcess ready(ChildJvm jvm) throws InterruptedException {
        try {
            String[] ready = jvm.awaitLine("LISTENING", START).split(" ");
            return new NodeProcess(jvm, Integer.parseInt(ready[1]), ready[2]);
        } catch (AssertionError | RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    /** A loopback port with nothing listening on it (bound, then released). */
    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** The heap in use after a few full collections, in bytes. */
    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** A measurement, printed for the test report. */
    static void report(String format, Object... args) {
        System.out.println("BOUNDARY " + String.format(format, args));
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (double) MIB);
    }
}
