package org.hopseal.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of the CLI's classes, which cuts the start of each child JVM. One child (the CLI's
 * {@code demo}, whose classes are most of what a node, a send or an identity command loads) writes it under
 * {@code target/} once per test run, beside the tests: children started before it is ready run without it. It only
 * saves time: when the archive cannot be made, none is used, and a JVM that cannot map it runs without it (its CDS
 * messages are switched off, since tests read the children's output).
 * The archive is made from the jars of {@code hopseal.classpath} alone: a JVM cannot archive classes from directories,
 * and a child's class path starts with those jars, so the archive stays usable for it.
 */
final class ClassDataArchive {
    private static final long TRAINING_TIMEOUT_SECONDS = 120;
    /** The JVM's logging of archives: AOT's tags are there in JDK 25 (at least), and an unknown tag would stop the JVM. */
    private static final int FIRST_FEATURE_WITH_AOT_LOGGING = 25;

    private static final CompletableFuture<List<String>> OPTIONS = CompletableFuture.supplyAsync(ClassDataArchive::make,
            runnable -> Thread.ofPlatform().daemon().name("class-data-archive").start(runnable));

    private ClassDataArchive() {
    }

    /** The options that map the archive, once it has been made; none before then or when it could not be. */
    static List<String> jvmOptions() {
        return OPTIONS.getNow(List.of());
    }

    private static List<String> make() {
        String archiveProperty = System.getProperty("hopseal.it.cds.archive");
        String classpath = System.getProperty("hopseal.classpath");
        if (archiveProperty == null || classpath == null) {
            return List.of();
        }
        Path archive = Path.of(archiveProperty);
        Path written = archive.resolveSibling(archive.getFileName() + ".writing");
        try {
            Files.createDirectories(archive.getParent());
            Files.deleteIfExists(written);
            Files.deleteIfExists(archive);
            List<String> cmd = new ArrayList<>(List.of(ChildJvm.javaCommand(), "--enable-native-access=ALL-UNNAMED",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=off", "-XX:ArchiveClassesAtExit=" + written));
            cmd.addAll(quietLogging());
            cmd.addAll(List.of("-cp", classpath, "org.hopseal.cli.Main", "demo"));
            Process training = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!training.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                training.destroyForcibly();
                return List.of();
            }
            if (training.exitValue() != 0 || !Files.isRegularFile(written)) {
                return List.of();
            }
            Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
        options.addAll(quietLogging());
        return List.copyOf(options);
    }

    private static List<String> quietLogging() {
        return Runtime.version().feature() >= FIRST_FEATURE_WITH_AOT_LOGGING
                ? List.of("-Xlog:cds*=off", "-Xlog:aot*=off")
                : List.of("-Xlog:cds*=off");
    }
}
