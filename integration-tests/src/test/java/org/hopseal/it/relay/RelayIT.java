package org.hopseal.it.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.hopseal.benchmarks.PostgresCluster;
import org.hopseal.it.ChildJvm;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays (issue 19), with the {@code hopseal} command in child processes on loopback: a node with no open port
 * registers a name at a relay host ({@code node --relays}) and clients reach it through that host ({@code send|inlet
 * --relay NAME}), their end-to-end channel passing the host as ciphertext.
 */
class RelayIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Map<String, String> ENV = Map.of("HOPSEAL_VAULT_PASSPHRASE", "relay it passphrase");
    private static final String MAIN = "org.hopseal.cli.Main";

    /**
     * The file vaults, one identity each, made once for the class: where a test needs an identity that outlives a
     * process (a restarted relay host) or two distinct stored identities. Elsewhere nodes use the in-memory vault
     * (a new identity per process, read from its LISTENING or NODE line), which starts faster.
     */
    @TempDir
    static Path vaults;
    /** Vault name to the identifier of the identity it holds. */
    private static final Map<String, String> IDS = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    /** What a test started, closed (processes killed) last started first, after each test. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** A relay host: its process, port and identifier. */
    private record Host(ChildJvm process, int port, String id) {
        String at() {
            return "127.0.0.1:" + port;
        }
    }

    /** A command that ran to its end. */
    private record Result(int exit, List<String> out, List<String> err) {
    }

    @BeforeAll
    static void createIdentities() throws Exception {
        Map<String, ChildJvm> creating = new LinkedHashMap<>();
        try {
            for (String name : List.of("host", "first", "intruder")) {
                creating.put(name, ChildJvm.hopseal(ENV, "identity", "create", "--vault", vault(name)));
            }
            for (Map.Entry<String, ChildJvm> e : creating.entrySet()) {
                ChildJvm create = e.getValue();
                assertThat(create.waitFor(T)).as(String.join("\n", create.stderr())).isZero();
                assertThat(create.stdout()).hasSize(1);
                assertThat(create.stdout().get(0)).matches("I[0-9a-f]{64}");
                IDS.put(e.getKey(), create.stdout().get(0));
            }
        } finally {
            for (ChildJvm create : creating.values()) {
                create.close();
            }
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        Exception failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static String vault(String name) {
        // Lighter Argon2id parameters keep the test quick; the defaults are checked in vault-file.
        return "file:" + vaults.resolve(name + ".vault") + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1";
    }

    private static String id(String vault) {
        return IDS.get(vault);
    }

    /** {@code --vault} options: none for the in-memory vault, else the named file vault. */
    private static List<String> vaultOption(String vault) {
        return vault == null ? List.of() : List.of("--vault", vault(vault));
    }

    private <C extends AutoCloseable> C track(C c) {
        started.push(c);
        return c;
    }

    /** Starts a relay host (vault null: in memory) listening on {@code port} (0: any); see {@link #ready}. */
    private ChildJvm startRelayHost(String vault, int port, String logLevel) throws Exception {
        List<String> args = new ArrayList<>(List.of("node", "--listen", "127.0.0.1:" + port, "--relays"));
        args.addAll(vaultOption(vault));
        return track(ChildJvm.start(ENV, "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel, List.of(MAIN), args));
    }

    /** The relay host once it printed LISTENING. */
    private static Host ready(ChildJvm host) throws InterruptedException {
        String[] ready = host.awaitLine("LISTENING", T).split(" ");
        return new Host(host, Integer.parseInt(ready[1]), ready[2]);
    }

    private Host relayHost(String vault, int port, String logLevel) throws Exception {
        return ready(startRelayHost(vault, port, logLevel));
    }

    /** A node with no --listen: its process and identifier. */
    private record Hidden(ChildJvm process, String id) {
    }

    /**
     * A node with no --listen (vault null: in memory), registered as {@code name} at every host (and with
     * {@code more} options); returns once it printed its NODE line and a RELAY line for each host.
     */
    private Hidden hiddenNode(String vault, String name, List<Host> hosts, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("node"));
        args.addAll(vaultOption(vault));
        for (Host h : hosts) {
            args.add("--relay");
            args.add(name + "@" + h.at());
        }
        args.addAll(List.of(more));
        ChildJvm node = track(ChildJvm.hopseal(ENV, args.toArray(String[]::new)));
        String id = awaitStdout(node, "NODE ").substring("NODE ".length());
        if (vault != null) {
            assertThat(id).as("the node runs as its vault's identity").isEqualTo(id(vault));
        }
        for (Host h : hosts) {
            awaitStdout(node, "RELAY " + name + " " + id + " " + h.at());
        }
        return new Hidden(node, id);
    }

    /**
     * Waits for a line that starts with {@code prefix} among everything {@code p} printed (whatever it printed
     * before or after) and returns it.
     */
    private static String awaitStdout(ChildJvm p, String prefix) throws InterruptedException {
        Await.holds(T, () -> p.stdout().stream().anyMatch(l -> l.startsWith(prefix)) || !p.isAlive());
        assertThat(p.stdout()).as("stderr: %s", p.stderr()).anyMatch(l -> l.startsWith(prefix));
        return p.stdout().stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    /** Waits for a line of {@code p}'s standard error that contains {@code text}. */
    private static void awaitStderr(ChildJvm p, String text) throws InterruptedException {
        Await.holds(T, () -> p.stderr().stream().anyMatch(l -> l.contains(text)) || !p.isAlive());
        assertThat(p.stderr()).as("stdout: %s", p.stdout()).anyMatch(l -> l.contains(text));
    }

    /** Starts {@code hopseal send --to TO --relay NAME --trust TRUST MESSAGE}; see {@link #result}. */
    private ChildJvm startSend(String to, String name, String trust, String message) throws Exception {
        return track(ChildJvm.hopseal(Map.of(), "send", "--to", to, "--relay", name, "--trust", trust, message));
    }

    private static Result result(ChildJvm p) throws InterruptedException {
        int exit = p.waitFor(T);
        return new Result(exit, p.stdout(), p.stderr());
    }

    private Result send(String to, String name, String trust, String message) throws Exception {
        return result(startSend(to, name, trust, message));
    }

    private static void assertReply(Result sent, String message) {
        assertThat(sent.exit()).as("send's exit status; stderr: %s", sent.err()).isZero();
        assertThat(sent.out()).as("the Echoer's reply").containsExactly(message);
    }

    /** An inlet on a free loopback port through the relay hosts {@code to} to the outlet; its port, peer checked. */
    private int inlet(String to, String name, String outlet, String trust) throws Exception {
        ChildJvm inlet = track(ChildJvm.hopseal(Map.of(), "inlet", "--from", "127.0.0.1:0", "--to", to, "--relay", name,
                "--outlet", outlet, "--trust", trust));
        String[] ready = inlet.awaitLine("INLET", T).split(" ");
        assertThat(ready[2]).as("the inlet authenticated the hidden node").isEqualTo(trust);
        return Integer.parseInt(ready[1]);
    }

    @Test
    void aNodeWithNoOpenPortIsReachedThroughTheRelayHostItRegisteredAt() throws Exception {
        Host host = relayHost(null, 0, "warn");
        Hidden node = hiddenNode(null, "svc", List.of(host));
        assertThat(listeningPorts(host.process().pid())).as("(the check finds the relay host's listening port)").contains(host.port());
        assertThat(listeningPorts(node.process().pid())).as("TCP ports the hidden node listens on").isEmpty();
        assertThat(node.process().stdout()).noneMatch(l -> l.startsWith("LISTENING"));

        assertReply(send(host.at(), "svc", node.id(), "Hello through a relay"), "Hello through a relay");
    }

    @Test
    void theRelayHostsLogsAndMemoryNeverHoldThePlaintext() throws Exception {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String marker = "m" + HexFormat.of().formatHex(random);
        // TRACE: whatever the relay host could log about what it passes, it logs.
        Host host = relayHost(null, 0, "trace");
        Hidden node = hiddenNode(null, "svc", List.of(host));
        assertReply(send(host.at(), "svc", node.id(), marker), marker);

        Map<String, byte[]> forms = new LinkedHashMap<>();
        forms.put("ASCII", marker.getBytes(StandardCharsets.US_ASCII));
        forms.put("UTF-16LE", marker.getBytes(StandardCharsets.UTF_16LE));
        forms.put("UTF-16BE", marker.getBytes(StandardCharsets.UTF_16BE));
        forms.put("hex", HexFormat.of().formatHex(marker.getBytes(StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
        Path hostDump = heapDump(host.process(), dir.resolve("relay-host.hprof"));
        Path nodeDump = heapDump(node.process(), dir.resolve("hidden-node.hprof"));
        assertThat(search(nodeDump, forms)).as("(the search works: the hidden node, an end of the channel, held the plaintext)")
                .contains("ASCII");
        assertThat(search(hostDump, forms)).as("forms of the plaintext found in the relay host's heap dump").isEmpty();

        // Stopped, so that its output is complete.
        assertThat(host.process().terminate()).isEqualTo(143);
        List<String> logs = new ArrayList<>(host.process().stdout());
        logs.addAll(host.process().stderr());
        assertThat(logs).as("(the relay host logged the registration, at TRACE)")
                .anyMatch(l -> l.contains("relay svc registered by " + node.id()));
        String all = String.join("\n", logs);
        assertThat(all).as("the relay host's output").doesNotContain(marker)
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(marker.getBytes(StandardCharsets.US_ASCII)))
                .doesNotContain(Base64.getEncoder().encodeToString(marker.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aKilledAndRestartedRelayHostReachesTheHiddenNodeAgainWithinTenSeconds() throws Exception {
        Host host = relayHost("host", 0, "warn");
        assertThat(host.id()).as("the relay host runs as its vault's identity").isEqualTo(id("host"));
        Hidden node = hiddenNode(null, "svc", List.of(host));
        assertReply(send(host.at(), "svc", node.id(), "before the restart"), "before the restart");

        host.process().kill();
        assertThat(host.process().isAlive()).isFalse();
        Host again = relayHost("host", host.port(), "warn");
        long listening = System.nanoTime();
        assertThat(again.port()).isEqualTo(host.port());
        assertThat(again.id()).isEqualTo(host.id());

        // Clients try again until the node has registered again; each try is a whole 'send'.
        Duration limit = Duration.ofSeconds(10);
        Result sent;
        Duration took;
        int tries = 0;
        do {
            tries++;
            sent = send(again.at(), "svc", node.id(), "after the restart");
            took = Duration.ofNanos(System.nanoTime() - listening);
        } while (sent.exit() != 0 && took.compareTo(limit) < 0);
        System.out.printf("RelayIT: reached again %d ms after the restarted host printed LISTENING (%d sends)%n", took.toMillis(), tries);
        assertReply(sent, "after the restart");
        assertThat(took).as("from the restarted host's LISTENING to a reply").isLessThanOrEqualTo(limit);
    }

    @Test
    void aSecondIdentityIsRefusedTheNameAndClientsStillReachTheFirst() throws Exception {
        Host host = relayHost(null, 0, "warn");
        Hidden first = hiddenNode("first", "svc", List.of(host));
        ChildJvm intruder = track(ChildJvm.hopseal(ENV, "node", "--vault", vault("intruder"), "--relay", "svc@" + host.at()));
        ChildJvm toFirst = startSend(host.at(), "svc", first.id(), "still the first");
        // The name leads to the first node and nowhere else: a client that trusts only the intruder is refused.
        ChildJvm toIntruder = startSend(host.at(), "svc", id("intruder"), "to the intruder?");

        awaitStdout(intruder, "NODE " + id("intruder"));
        awaitStderr(intruder, "relay svc at " + host.at()
                + ": cannot open a secure channel (the relay host refused: relay name svc is registered by another identity)");
        assertReply(result(toFirst), "still the first");
        Result refused = result(toIntruder);
        assertThat(refused.exit()).as("stdout %s", refused.out()).isNotZero();
        assertThat(String.join("\n", refused.err())).contains("trust policy refused peer " + first.id());
        // By now it has tried again a few times (250 ms, then doubling to 2 s, after each refusal).
        assertThat(intruder.isAlive()).as("the refused node keeps running").isTrue();
        assertThat(intruder.stdout()).as("the refused node never registered").noneMatch(l -> l.startsWith("RELAY"));
    }

    @Test
    void withTwoRelayHostsTrafficAndAnEstablishedInletContinueThroughTheOtherWhenOneIsKilled() throws Exception {
        EchoServer echo = track(new EchoServer());
        ChildJvm starting = startRelayHost(null, 0, "warn");
        Host h2 = relayHost(null, 0, "warn");
        Host h1 = ready(starting);
        String both = h1.at() + "," + h2.at();
        Hidden node = hiddenNode(null, "svc", List.of(h1, h2), "--outlet", "echo=127.0.0.1:" + echo.port());
        int inlet = inlet(both, "svc", "echo", node.id());

        ChildJvm sending;
        try (Socket before = connect(inlet)) {
            assertThat(roundTrip(before, "before")).isEqualTo("before");
            h1.process().kill();
            assertThat(h1.process().isAlive()).isFalse();
            sending = startSend(both, "svc", node.id(), "through the other host");
            // The inlet's channel went through the first host: the connection it carried ends with it.
            assertThat(ends(before)).as("the connection carried through the killed host ended").isTrue();
        }

        Result sent = result(sending);
        assertReply(sent, "through the other host");
        assertThat(sent.err()).as("the killed host was tried first").anyMatch(l -> l.contains("cannot reach " + h1.at()));

        // The same inlet process carries new connections, through a channel it opened through the second host (each
        // waits for that channel if the inlet is still opening it).
        for (int i = 0; i < 3; i++) {
            try (Socket after = connect(inlet)) {
                assertThat(roundTrip(after, "after " + i)).isEqualTo("after " + i);
            }
        }
    }

    @Test
    void psqlReachesPostgresThroughAPortalToAnOutletOnTheHiddenNode() throws Exception {
        ChildJvm starting = startRelayHost(null, 0, "warn");
        PostgresCluster pg = PostgresCluster.start();
        started.addLast(pg); // stopped after every process
        Host host = ready(starting);
        Hidden node = hiddenNode(null, "db", List.of(host), "--outlet", "postgres=127.0.0.1:" + pg.port);
        int inlet = inlet(host.at(), "db", "postgres", node.id());

        String answer = PostgresCluster.run(List.of(pg.tool("psql"), "-h", "127.0.0.1", "-p", String.valueOf(inlet), "-U", "postgres",
                "-At", "-c", "select 40 + 2, current_setting('port')"));
        assertThat(answer.trim()).as("the answer of the cluster behind the outlet").isEqualTo("42|" + pg.port);
    }

    // ---- heap dumps

    /** Dumps every object in {@code p}'s heap, unreachable ones too, with {@code jcmd}. */
    private static Path heapDump(ChildJvm p, Path file) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Path log = file.resolveSibling(file.getFileName() + ".log");
        Process dump = new ProcessBuilder(jcmd, String.valueOf(p.pid()), "GC.heap_dump", "-all", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(dump.waitFor(60, TimeUnit.SECONDS)).as("jcmd ended").isTrue();
        } finally {
            dump.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(dump.exitValue()).as(out).isZero();
        assertThat(out).contains("Heap dump file created");
        assertThat(Files.size(file)).as("the heap dump's size").isGreaterThan(1 << 20);
        return file;
    }

    /** The names of the {@code forms} that occur in {@code file}, read in blocks. */
    private static Set<String> search(Path file, Map<String, byte[]> forms) throws IOException {
        int longest = forms.values().stream().mapToInt(b -> b.length).max().orElseThrow();
        Set<String> found = new TreeSet<>();
        byte[] buf = new byte[(4 << 20) + longest];
        int kept = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.readNBytes(buf, kept, buf.length - kept)) > 0) {
                int end = kept + n;
                for (Map.Entry<String, byte[]> form : forms.entrySet()) {
                    if (indexOf(buf, end, form.getValue()) >= 0) {
                        found.add(form.getKey());
                    }
                }
                // Keep the tail, so that a form across two blocks is found.
                kept = Math.min(longest - 1, end);
                System.arraycopy(buf, end - kept, buf, 0, kept);
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        byte first = needle[0];
        for (int i = 0, last = length - needle.length; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            int j = 1;
            while (j < needle.length && haystack[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        return -1;
    }

    // ---- sockets

    /**
     * The TCP ports process {@code pid} listens on: its sockets ({@code /proc/PID/fd}) that its network namespace's
     * tables ({@code /proc/PID/net/tcp}, {@code tcp6}) list in state LISTEN (0A).
     */
    private static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        assertThat(inodes).as("(process %d has sockets)", pid).isNotEmpty();
        Set<Integer> ports = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path path = Path.of("/proc", String.valueOf(pid), "net", table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> rows = Files.readAllLines(path);
            for (String row : rows.subList(1, rows.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] c = row.trim().split("\\s+");
                if (c[3].equals("0A") && inodes.contains(c[9])) {
                    ports.add(Integer.parseInt(c[1].substring(c[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        s.setSoTimeout((int) T.toMillis());
        return s;
    }

    /** Sends a line and reads the line that comes back. */
    private static String roundTrip(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /** Whether the connection ends (end of stream or reset) within its read timeout, with nothing more read. */
    private static boolean ends(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** A TCP echo service on a free loopback port. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

        EchoServer() throws IOException {
            Thread.ofVirtual().name("relay-it-echo").start(this::serve);
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ended) {
                            // the connection was reset
                        } finally {
                            sockets.remove(s);
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
