package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.hopseal.examples.GuideExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code hopseal example}: the list of the guide's examples, and one run in this process. */
class ExampleCommandTest {
    private static final String NL = System.lineSeparator();
    private static final String PACKAGE = "org/hopseal/examples/";

    /** The simple names of the classes in the examples' package that have a {@code public static void main(String[])}. */
    private static List<String> classesWithAMain() throws IOException, URISyntaxException, ClassNotFoundException {
        Path where = Path.of(GuideExamples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classFiles = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> files = Files.list(where.resolve(PACKAGE))) {
                files.map(f -> PACKAGE + f.getFileName()).forEach(classFiles::add);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                Collections.list(jar.entries()).stream().map(JarEntry::getName).filter(n -> n.startsWith(PACKAGE)).forEach(classFiles::add);
            }
        }
        List<String> names = new ArrayList<>();
        for (String file : classFiles) {
            String simple = file.substring(PACKAGE.length());
            if (!simple.endsWith(".class") || simple.contains("$") || simple.contains("/")) {
                continue;
            }
            simple = simple.substring(0, simple.length() - ".class".length());
            Class<?> type = Class.forName("org.hopseal.examples." + simple, false, GuideExamples.class.getClassLoader());
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals("main") && Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String[].class) {
                    names.add(simple);
                }
            }
        }
        return names;
    }

    @Test
    void theListHasOneLinePerExampleAndEveryExampleOfThePackageIsInIt() throws Exception {
        Captured list = Captured.run("example");
        assertThat(list.exit()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines).hasSize(GuideExamples.all().size());
        List<String> listed = lines.stream().map(line -> line.split(" ")[0]).toList();
        List<String> withMain = classesWithAMain();
        assertThat(withMain).as("the examples module's runnable classes").hasSizeGreaterThanOrEqualTo(12);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(withMain);
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("Ex04Responder \\[HOST:PORT] +guide 04: .*"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("Ex05Initiator \\[MIDDLE] \\[RESPONDER] +guide 05, two hops: .*"));
    }

    @Test
    @Timeout(60)
    void anExampleRunsInThisProcessByItsNameInAnyCase() {
        Captured run = Captured.run("example", "ex02worker");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("App Received: Hello Hopseal!" + NL);
    }

    @Test
    void anUnknownExampleIsAUsageError() {
        Captured run = Captured.run("example", "Ex99Nothing");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("hopseal example: there is no example 'Ex99Nothing'; 'hopseal example' lists them" + NL);
        assertThat(run.out()).isEmpty();
    }
}
