package org.hopseal.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hopseal.benchmarks.PostgresCluster;
import org.hopseal.it.ChildJvm;
import org.hopseal.vault.pkcs11.SoftHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified applications through portals, with the {@code hopseal} command in child processes: PostgreSQL (the
 * server speaks first) with {@code psql} and {@code pgbench}, the outlet node's identity on SoftHSM; and HTTP (the
 * client speaks first) with concurrent {@code curl} downloads and an upload.
 */
class PortalsIT {
    private static final Duration T = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    /** An outlet node for {@code outlet}; returns its process with 'LISTENING port id' read. */
    private static ChildJvm outletNode(Map<String, String> env, String vault, String outlet, String[] ready) throws Exception {
        ChildJvm node = ChildJvm.hopseal(env, "node", "--listen", "127.0.0.1:0", "--vault", vault, "--outlet", outlet);
        String[] line = node.awaitLine("LISTENING", T).split(" ");
        System.arraycopy(line, 1, ready, 0, 2);
        return node;
    }

    private static ChildJvm inlet(String nodePort, String outlet, String trust, String[] ready) throws Exception {
        ChildJvm inlet = ChildJvm.hopseal(Map.of(), "inlet", "--from", "127.0.0.1:0", "--to", "127.0.0.1:" + nodePort,
                "--outlet", outlet, "--trust", trust);
        String[] line = inlet.awaitLine("INLET", T).split(" ");
        System.arraycopy(line, 1, ready, 0, 2);
        return inlet;
    }

    @Test
    void psqlAndPgbenchReachPostgresThroughAPortalWhoseNodeKeepsItsIdentityOnAnHsm() throws Exception {
        SoftHsm.require();
        String vault = SoftHsm.uri(SoftHsm.TOKEN, "portal-outlet", "env:" + SoftHsm.PIN_ENV);
        String[] node = new String[2];
        String[] in = new String[2];
        try (PostgresCluster pg = PostgresCluster.start();
             ChildJvm outletNode = outletNode(Map.of(), vault, "postgres=127.0.0.1:" + pg.port, node);
             ChildJvm inlet = inlet(node[0], "postgres", node[1], in)) {
            assertThat(in[1]).as("the inlet authenticated the outlet node's HSM identity").isEqualTo(node[1]);
            String port = in[0];
            String answer = PostgresCluster.run(List.of(pg.tool("psql"), "-h", "127.0.0.1", "-p", port, "-U", "postgres",
                    "-At", "-c", "select 40 + 2"));
            assertThat(answer.trim()).isEqualTo("42");

            PostgresCluster.run(List.of(pg.tool("pgbench"), "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-i", "-s", "1", "-q",
                    "postgres"));
            String bench = PostgresCluster.run(List.of(pg.tool("pgbench"), "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-S",
                    "-c", "8", "-j", "2", "-T", "5", "postgres"));
            assertThat(bench).contains("number of failed transactions: 0").containsPattern("tps = [1-9]");
            String rows = PostgresCluster.run(List.of(pg.tool("psql"), "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-At",
                    "-c", "select count(*) from pgbench_accounts"));
            assertThat(rows.trim()).isEqualTo("100000");
        }
    }

    @Test
    void tenConcurrentCurlDownloadsAndAnUploadCrossAPortalIntact() throws Exception {
        Path file = dir.resolve("random.bin");
        byte[] block = new byte[1 << 20];
        Random random = new Random(18);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 100; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        String expected = sha256(Files.newInputStream(file));
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", exchange -> serve(exchange, file));
        http.start();
        String[] node = new String[2];
        String[] in = new String[2];
        try (ChildJvm outletNode = outletNode(Map.of(), "software", "web=127.0.0.1:" + http.getAddress().getPort(), node);
             ChildJvm inlet = inlet(node[0], "web", node[1], in)) {
            String url = "http://127.0.0.1:" + in[0] + "/random.bin";
            List<Process> downloads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                downloads.add(new ProcessBuilder("curl", "-sS", "--fail", "-o", dir.resolve("got-" + i).toString(), url)
                        .redirectErrorStream(true).start());
            }
            for (int i = 0; i < 10; i++) {
                Process p = downloads.get(i);
                assertThat(p.waitFor(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
                assertThat(sha256(Files.newInputStream(dir.resolve("got-" + i)))).as("download %d", i).isEqualTo(expected);
            }
            Process upload = new ProcessBuilder("curl", "-sS", "--fail", "-T", file.toString(), url).start();
            String answer = new String(upload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(upload.waitFor()).isZero();
            assertThat(answer).as("the server's SHA-256 of what it received").isEqualTo(expected);
        } finally {
            http.stop(0);
        }
    }

    /** GET sends the file; PUT answers the SHA-256 of the body it received. */
    private static void serve(HttpExchange exchange, Path file) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("PUT")) {
                byte[] digest = sha256(exchange.getRequestBody()).getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, digest.length);
                exchange.getResponseBody().write(digest);
                return;
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(exchange.getResponseBody());
            }
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try (DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digest.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
