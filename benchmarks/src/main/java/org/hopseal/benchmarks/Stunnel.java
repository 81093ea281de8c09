package org.hopseal.benchmarks;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tunnel a user would otherwise pick, at its best: two stunnel processes (Debian {@code stunnel4}), a client
 * that accepts plain TCP and a server that connects to the targets, joined by TLS 1.3 with mutual P-256
 * certificates (made with {@code openssl}), {@code TCP_NODELAY} on every socket, and stunnel's client-side session
 * cache (resumption) left on. One service per target.
 */
final class Stunnel implements AutoCloseable {
    private final Process server;
    private final Process client;
    private final Map<String, Integer> entries = new LinkedHashMap<>();

    /** Starts both ends for {@code targets} (name → loopback port) in {@code dir}. */
    Stunnel(Path dir, Map<String, Integer> targets) throws Exception {
        certificates(dir);
        StringBuilder serverConf = new StringBuilder(common(dir, "server"));
        StringBuilder clientConf = new StringBuilder(common(dir, "client")).append("client = yes\n");
        for (Map.Entry<String, Integer> t : targets.entrySet()) {
            int tls = freePort();
            int entry = freePort();
            serverConf.append("[").append(t.getKey()).append("]\naccept = 127.0.0.1:").append(tls)
                    .append("\nconnect = 127.0.0.1:").append(t.getValue()).append('\n');
            clientConf.append("[").append(t.getKey()).append("]\naccept = 127.0.0.1:").append(entry)
                    .append("\nconnect = 127.0.0.1:").append(tls).append('\n');
            entries.put(t.getKey(), entry);
        }
        Files.writeString(dir.resolve("server.conf"), serverConf);
        Files.writeString(dir.resolve("client.conf"), clientConf);
        server = start(dir.resolve("server.conf"));
        client = start(dir.resolve("client.conf"));
        for (int port : entries.values()) {
            awaitListening(port);
        }
    }

    /** The plain TCP port that tunnels to target {@code name}. */
    int entry(String name) {
        return entries.get(name);
    }

    private static String common(Path dir, String role) {
        return "foreground = yes\npid =\ndebug = 3\nsyslog = no\noutput = " + dir.resolve(role + ".log") + "\n"
                + "socket = l:TCP_NODELAY=1\nsocket = r:TCP_NODELAY=1\n"
                + "cert = " + dir.resolve(role + ".pem") + "\nkey = " + dir.resolve(role + ".key") + "\n"
                + "CAfile = " + dir.resolve("ca.pem") + "\nverifyChain = yes\nrequireCert = yes\n"
                + "sslVersionMin = TLSv1.3\n";
    }

    private static void certificates(Path dir) throws Exception {
        run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
        run(dir, "openssl", "req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=bench-ca", "-days", "2", "-out", "ca.pem");
        for (String role : List.of("server", "client")) {
            run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", role + ".key");
            run(dir, "openssl", "req", "-new", "-key", role + ".key", "-subj", "/CN=" + role, "-out", role + ".csr");
            run(dir, "openssl", "x509", "-req", "-in", role + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-out", role + ".pem");
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static Process start(Path conf) throws IOException {
        try {
            return new ProcessBuilder("stunnel", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("stunnel is not installed (Debian: apt-get install stunnel4): " + e.getMessage(), e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits (at most 10 s) until something listens on {@code port}: binding it fails. (No connection: a connection
     * would reach the target, and an iperf3 server serves one test at a time.) */
    static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nothing listens on 127.0.0.1:" + port + " after 10 s");
                }
            } catch (BindException listening) {
                return;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        client.destroy();
        server.destroy();
    }
}
