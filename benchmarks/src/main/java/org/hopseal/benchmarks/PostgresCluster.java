package org.hopseal.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for one test: {@code initdb} in a temporary folder, {@code pg_ctl start} on a free
 * loopback port, {@code pg_ctl stop} and the folder removed on close. PostgreSQL refuses to run as root, so as root
 * it runs as the {@code postgres} user (Debian's package makes it). Absent PostgreSQL is a failure, not a skip.
 */
public final class PostgresCluster implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    /** The loopback port the server listens on. */
    public final int port;

    private PostgresCluster(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** Creates and starts a cluster whose every user is trusted on loopback; {@code postgres} is the superuser. */
    public static PostgresCluster start() throws Exception {
        Path bin = binaries();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "hopseal-pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresCluster cluster = new PostgresCluster(bin, dir, port);
        if (isRoot()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        cluster.asOwner(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "--auth=trust",
                "-U", "postgres", "--no-sync"));
        cluster.asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dir.resolve("log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
        return cluster;
    }

    /** The {@code bin} folder of the newest installed PostgreSQL. */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("PostgreSQL is not installed (Debian: apt-get install postgresql); .ci/run installs it");
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under " + root));
        }
    }

    private static boolean isRoot() throws Exception {
        return run(List.of("id", "-u")).trim().equals("0");
    }

    private void asOwner(List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        run(cmd);
    }

    /** Runs {@code command} to its end (60 s at most) and returns its output; a failure throws with the output. */
    public static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end in 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    /** {@code psql} or {@code pgbench} of the same installation (any version speaks to the server). */
    public String tool(String name) {
        Path own = bin.resolve(name);
        return Files.isExecutable(own) ? own.toString() : name;
    }

    @Override
    public void close() throws Exception {
        try {
            asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
