package org.hopseal.vault.pkcs11;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away TPM 2.0 for tests, started by the tests themselves once per JVM: the TPM simulator QEMU uses
 * ({@code swtpm}) on two free loopback ports, the TPM2 resource manager ({@code tpm2-abrmd}) on a private D-Bus
 * session bus of its own, and a {@code tpm2-pkcs11} store in a folder under {@code target/tpm} with the tokens the
 * tests use, made by {@code tpm2_ptool}. Without these tools the tests are skipped with a loud notice, unless
 * {@code HOPSEAL_REQUIRE_TPM=true} (set by {@code .ci/run}), in which case they fail.
 *
 * <p>{@code tpm2-pkcs11} finds its store, its TCTI and the bus only in its environment, read when the module is
 * loaded, so {@link #require()} sets {@link #environment()} in this process's own (native) environment before any
 * test loads the module; child processes get the same variables from {@link #environment()}.
 *
 * <p>The three processes end by themselves: each runs under a small watchdog shell that stops it within a second
 * once this JVM is gone, however it ended (a shutdown hook stops them at once on a normal exit), and the folder is
 * removed on exit.
 */
public final class SwTpm {
    public static final String TOKEN = "hopseal-tpm";
    public static final String OTHER_TOKEN = "hopseal-tpm-other";
    public static final String PIN = "4321";
    public static final String PIN_ENV = "HOPSEAL_TEST_PIN";
    private static final String SO_PIN = "123456";
    private static final String[] MODULES = {
        "/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so", "/usr/lib/aarch64-linux-gnu/pkcs11/libtpm2_pkcs11.so",
        "/usr/lib64/pkcs11/libtpm2_pkcs11.so", "/usr/lib/pkcs11/libtpm2_pkcs11.so", "/usr/local/lib/libtpm2_pkcs11.so"};
    private static final String[] TOOLS = {"swtpm", "tpm2-abrmd", "tpm2_ptool", "tpm2_getrandom", "dbus-daemon"};
    /**
     * The TCTI through which tpm2-pkcs11 and the tools reach tpm2-abrmd (Debian's {@code libtss2-tcti-tabrmd0}): loaded
     * by name only when the first TPM call is made, so without this check its absence shows as a failed start.
     */
    static final String TABRMD_TCTI = "libtss2-tcti-tabrmd.so.0";
    private static final String[] LIBRARY_DIRS = {
        "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"};
    /** How long each step of the start may take. */
    private static final long STEP_MILLIS = 20_000;
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static Map<String, String> environment;
    private static AssertionError failed;

    private SwTpm() {
    }

    /** The tpm2-pkcs11 module, if installed (where {@code -Dhopseal.tpm.module} says, or a usual place). */
    public static Optional<String> module() {
        return module(Files::isRegularFile);
    }

    private static Optional<String> module(Predicate<Path> installed) {
        String given = System.getProperty("hopseal.tpm.module");
        for (String m : given == null ? MODULES : new String[] {given}) {
            if (installed.test(Path.of(m))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * What of the TPM stack is not installed, by file name: the tpm2-pkcs11 module, the tabrmd TCTI and the tools,
     * each looked for where it usually is and counted as installed when {@code installed} says so of the path.
     */
    static List<String> missing(Predicate<Path> installed) {
        List<String> missing = new ArrayList<>();
        if (module(installed).isEmpty()) {
            missing.add("libtpm2_pkcs11.so");
        }
        if (Arrays.stream(LIBRARY_DIRS).map(d -> Path.of(d, TABRMD_TCTI)).noneMatch(installed)) {
            missing.add(TABRMD_TCTI);
        }
        for (String tool : TOOLS) {
            if (which(tool, installed).isEmpty()) {
                missing.add(tool);
            }
        }
        return missing;
    }

    /** Makes sure the TPM and its tokens are up, or skips (fails in CI) when the TPM tools are missing. */
    public static void require() {
        List<String> missing = missing(Files::isRegularFile);
        if (!missing.isEmpty()) {
            String why = "the TPM stack is not installed (missing " + String.join(", ", missing) + "); install Debian's swtpm"
                    + " swtpm-tools tpm2-tools tpm2-abrmd libtss2-tcti-tabrmd0 libtpm2-pkcs11-1 libtpm2-pkcs11-tools dbus";
            if ("true".equals(System.getenv("HOPSEAL_REQUIRE_TPM")) || Boolean.getBoolean("hopseal.requireTpm")) {
                throw new AssertionError(why + " — required here (HOPSEAL_REQUIRE_TPM=true)");
            }
            System.err.println("!!! SKIPPING TPM TESTS: " + why + " !!!");
            Assumptions.abort(why);
        }
        LOCK.lock();
        try {
            if (failed != null) {
                throw failed;
            }
            if (environment == null) {
                try {
                    environment = start();
                } catch (IOException | InterruptedException | RuntimeException e) {
                    stopAll();
                    failed = new AssertionError("could not start the TPM stack: " + e.getMessage(), e);
                    throw failed;
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * What a process needs to reach the test tokens: {@code TPM2_PKCS11_STORE}, {@code TPM2_PKCS11_TCTI} and
     * {@code DBUS_SESSION_BUS_ADDRESS} (after {@link #require()}).
     */
    public static Map<String, String> environment() {
        LOCK.lock();
        try {
            if (environment == null) {
                throw new IllegalStateException("call SwTpm.require() first");
            }
            return environment;
        } finally {
            LOCK.unlock();
        }
    }

    /** The URI of a test token, with the PIN from {@link #PIN_ENV}... or a given pin source. */
    public static String uri(String token, String object, String pinSource) {
        return "pkcs11:token=" + token + ";object=" + object + "?module-path=" + module().orElse(MODULES[0]) + "&pin-source=" + pinSource;
    }

    private static Map<String, String> start() throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        Path base = Path.of(System.getProperty("hopseal.tpm.dir", "target/tpm")).toAbsolutePath();
        Path dir = base.resolve(Long.toString(pid));
        deleteTree(dir);
        removeFoldersOfEndedJvms(base);
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("store"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            try {
                deleteTree(dir);
            } catch (IOException ignored) {
                // target/ is cleaned with the build
            }
        }, "swtpm-stop"));

        // A private session bus: an abstract socket, so that no path length or leftover file matters.
        String bus = "unix:abstract=hopseal-tpm-" + pid + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Process dbus = supervised(dir, "dbus", Map.of(), tool("dbus-daemon"), "--session", "--nofork", "--nopidfile", "--address=" + bus,
                "--print-address");
        awaitLog(dir.resolve("dbus.log"), dbus, "unix:abstract=hopseal-tpm-");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DBUS_SESSION_BUS_ADDRESS", bus);

        // swtpm wants its control port right after its server port; a port taken meanwhile is retried.
        int port = 0;
        for (int attempt = 0; attempt < 5 && port == 0; attempt++) {
            int p = freePortPair();
            Process swtpm = supervised(dir, "swtpm", Map.of(), tool("swtpm"), "socket", "--tpmstate", "dir=" + dir.resolve("state"), "--tpm2",
                    "--server", "type=tcp,port=" + p + ",bindaddr=127.0.0.1", "--ctrl", "type=tcp,port=" + (p + 1) + ",bindaddr=127.0.0.1",
                    "--flags", "not-need-init,startup-clear");
            if (awaitPort(p + 1, swtpm)) {
                port = p;
            } else {
                stop(swtpm);
            }
        }
        if (port == 0) {
            throw new IOException("swtpm did not start: " + tail(dir.resolve("swtpm.log")));
        }

        // The resource manager: without it the TPM runs out of object slots after the first few commands.
        Process abrmd = supervised(dir, "abrmd", env, tool("tpm2-abrmd"), "--session", "--allow-root", "--tcti=swtpm:host=127.0.0.1,port=" + port);
        env.put("TPM2_PKCS11_TCTI", "tabrmd:bus_type=session");
        env.put("TPM2TOOLS_TCTI", "tabrmd:bus_type=session");
        env.put("TPM2_PKCS11_STORE", dir.resolve("store").toString());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS);
        String last = "";
        while (true) {
            if (!abrmd.isAlive()) {
                throw new IOException("tpm2-abrmd ended: " + tail(dir.resolve("abrmd.log")));
            }
            Run r = run(dir, env, tool("tpm2_getrandom"), "--hex", "4");
            if (r.ok()) {
                break;
            }
            last = r.output();
            if (System.nanoTime() > deadline) {
                throw new IOException("the TPM did not answer through tpm2-abrmd: " + last + " / " + tail(dir.resolve("abrmd.log")));
            }
            Thread.sleep(100);
        }

        Run init = run(dir, env, tool("tpm2_ptool"), "init");
        Matcher id = Pattern.compile("id: *(\\d+)").matcher(init.output());
        if (!init.ok() || !id.find()) {
            throw new IOException("tpm2_ptool init failed: " + init.output());
        }
        for (String label : new String[] {TOKEN, OTHER_TOKEN}) {
            Run add = run(dir, env, tool("tpm2_ptool"), "addtoken", "--pid=" + id.group(1), "--label=" + label, "--userpin=" + PIN,
                    "--sopin=" + SO_PIN);
            if (!add.ok()) {
                throw new IOException("tpm2_ptool addtoken failed: " + add.output());
            }
        }
        env.remove("TPM2TOOLS_TCTI");
        Map<String, String> result = Map.copyOf(env);
        // tpm2-pkcs11 reads these from the process environment when it is loaded, so this JVM needs them in its own.
        for (Map.Entry<String, String> e : result.entrySet()) {
            if (LibC.INSTANCE.setenv(e.getKey(), e.getValue(), 1) != 0) {
                throw new IOException("setenv " + e.getKey() + " failed");
            }
        }
        return result;
    }

    /** The C library's {@code setenv}: the JDK cannot change its own process's environment. */
    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int setenv(String name, String value, int overwrite);
    }

    /**
     * Starts {@code command} under a watchdog shell that stops it once this JVM is gone (the JVM is told apart from
     * a later process with the same pid by its start time), logging to {@code dir/name.log}.
     */
    private static Process supervised(Path dir, String name, Map<String, String> env, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", """
                j=$1; shift
                s=$(cut -d' ' -f22 /proc/$j/stat)
                "$@" &
                c=$!
                trap 'kill $c 2>/dev/null; exit 0' HUP INT TERM
                while [ "$(cut -d' ' -f22 /proc/$j/stat 2>/dev/null)" = "$s" ] && kill -0 $c 2>/dev/null; do sleep 1; done
                kill $c 2>/dev/null
                wait $c
                """, "hopseal-tpm-watchdog", Long.toString(ProcessHandle.current().pid())));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        PROCESSES.add(p);
        return p;
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
    }

    /** Stops every process, the last started first, and waits a moment for them to end. */
    private static void stopAll() {
        List<Process> all = new ArrayList<>(PROCESSES);
        PROCESSES.clear();
        List<ProcessHandle> ending = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            ending.addAll(all.get(i).descendants().toList());
            ending.add(all.get(i).toHandle());
            stop(all.get(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (ProcessHandle h : ending) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // it is past its chance; the watchdog ends it within a second
            }
        }
    }

    private record Run(boolean ok, String output) {
    }

    private static Run run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(STEP_MILLIS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return new Run(false, String.join(" ", command) + " timed out: " + out);
        }
        return new Run(p.exitValue() == 0, out);
    }

    private static void awaitLog(Path log, Process p, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS);
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException(log.getFileName() + ": " + tail(log));
            }
            Thread.sleep(20);
        }
    }

    private static boolean awaitPort(int port, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    /** A port {@code p} such that {@code p} and {@code p + 1} were free on the loopback interface just now. */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = a.getLocalPort();
                if (p >= 65535) {
                    continue;
                }
                try (ServerSocket b = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no two free consecutive ports on the loopback interface");
    }

    private static String tail(Path log) {
        try {
            String s = Files.exists(log) ? Files.readString(log).strip() : "(no log)";
            return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** A tool on the PATH or in an sbin folder (tpm2-abrmd is in /usr/sbin, which a user's PATH may lack). */
    private static Optional<String> which(String tool, Predicate<Path> installed) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && installed.test(Path.of(d, tool))) {
                return Optional.of(Path.of(d, tool).toString());
            }
        }
        return Optional.empty();
    }

    private static String tool(String name) {
        return which(name, Files::isExecutable).orElseThrow(() -> new IllegalStateException(name + " is missing"));
    }

    /** The folders JVMs that were killed left behind (a normal exit removes its own). */
    private static void removeFoldersOfEndedJvms(Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (var list = Files.list(base)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("\\d{1,10}") && ProcessHandle.of(Long.parseLong(name)).isEmpty()) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
