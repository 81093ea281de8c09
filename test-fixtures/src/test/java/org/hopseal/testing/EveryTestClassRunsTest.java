package org.hopseal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Surefire runs only classes named like its default includes, Failsafe (in modules that use it) only those named like
 * its own; a test class named otherwise compiles and never runs. This reads every module's test sources (the tests
 * run with the module's directory as working directory, so the modules are its siblings).
 */
class EveryTestClassRunsTest {
    /** Surefire's default includes: {@code **}{@code /Test*.java, *Test.java, *Tests.java, *TestCase.java}. */
    private static final Pattern SUREFIRE = Pattern.compile("Test.*|.*Test|.*Tests|.*TestCase");
    /** Failsafe's default includes: {@code **}{@code /IT*.java, *IT.java, *ITCase.java}. */
    private static final Pattern FAILSAFE = Pattern.compile("IT.*|.*IT|.*ITCase");
    private static final Pattern TEST_ANNOTATION = Pattern.compile(
            "@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|FuzzTest|Property|Example)\\b");
    private static final Pattern ABSTRACT_CLASS = Pattern.compile("\\babstract\\s+class\\s");

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static List<Path> modules() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src/test/java")))
                    .sorted().toList();
        }
    }

    private static boolean runsFailsafe(Path module) throws IOException {
        return Files.readString(module.resolve("pom.xml")).contains("<artifactId>maven-failsafe-plugin</artifactId>");
    }

    /** Whether a concrete class in {@code source} declares tests (abstract contracts run through their subclasses). */
    private static boolean declaresTests(String source) {
        return TEST_ANNOTATION.matcher(source).find() && !ABSTRACT_CLASS.matcher(source).find();
    }

    @Test
    void theRepositoryHasTheModulesThisCheckReads() throws IOException {
        assertThat(modules()).extracting(m -> m.getFileName().toString()).contains("core", "integration-tests", "test-fixtures");
    }

    @Test
    void everyClassWithTestsIsNamedSoThatSurefireOrFailsafeRunsIt() throws IOException {
        List<String> neverRun = new ArrayList<>();
        for (Path module : modules()) {
            boolean failsafe = runsFailsafe(module);
            try (Stream<Path> files = Files.walk(module.resolve("src/test/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String name = file.getFileName().toString().replaceFirst("\\.java$", "");
                    boolean included = SUREFIRE.matcher(name).matches() || failsafe && FAILSAFE.matcher(name).matches();
                    if (!included && declaresTests(Files.readString(file))) {
                        neverRun.add(ROOT.relativize(file).toString());
                    }
                }
            }
        }
        assertThat(neverRun).as("test classes that no Surefire or Failsafe include pattern picks up: rename them").isEmpty();
    }
}
