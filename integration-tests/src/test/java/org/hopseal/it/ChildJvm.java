package org.hopseal.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Java main class run in its own JVM, with its standard output read line by line. */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private final Thread outPump;
    private final Thread errPump;

    private ChildJvm(Process process) {
        this.process = process;
        outPump = Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true));
        errPump = Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
    }

    private void pump(BufferedReader r, boolean out) {
        try (r) {
            String line;
            while ((line = r.readLine()) != null) {
                if (out) {
                    lines.add(line);
                    all.add(line);
                } else {
                    errors.add(line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    public static ChildJvm start(String mainClass, String... args) throws IOException {
        return start(Map.of(), mainClass, args);
    }

    public static ChildJvm start(Map<String, String> env, String mainClass, String... args) throws IOException {
        return start(env, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", List.of(mainClass), List.of(args));
    }

    /** {@code mainAndArgs} is the main class (and any leading arguments), {@code args} the rest. */
    public static ChildJvm start(Map<String, String> env, String logLevelProperty, List<String> mainAndArgs, List<String> args) throws IOException {
        String classpath = System.getProperty("hopseal.classpath") + File.pathSeparator + System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(javaCommand(), "--enable-native-access=ALL-UNNAMED", logLevelProperty));
        cmd.addAll(ClassDataArchive.jvmOptions());
        cmd.addAll(List.of("-cp", classpath));
        cmd.addAll(mainAndArgs);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return new ChildJvm(pb.start());
    }

    /** Runs the {@code hopseal} command in a child JVM. */
    public static ChildJvm hopseal(Map<String, String> env, String... args) throws IOException {
        return start(env, "org.hopseal.cli.Main", args);
    }

    /** The next line of standard output that starts with {@code prefix}. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "'; stdout " + all + ", stderr " + errors);
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not end in " + timeout + "; stdout " + all + ", stderr " + errors);
        }
        outPump.join(5_000);
        errPump.join(5_000);
        return process.exitValue();
    }

    /** The operating system's process id (for {@code jcmd}, say). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> stdout() {
        return List.copyOf(all);
    }

    public List<String> stderr() {
        return List.copyOf(errors);
    }

    /** SIGKILL. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then wait. (Through the handle: {@code Process.destroy()} would also close our end of its pipes.) */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        return waitFor(Duration.ofSeconds(15));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The {@code java} launcher of the JVM that runs the tests. */
    static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
