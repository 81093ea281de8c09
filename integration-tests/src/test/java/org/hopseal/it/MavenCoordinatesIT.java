package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.hopseal.vault.pkcs11.SoftHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Using Hopseal from Maven", as a newcomer uses it: a throw-away project made of the BOM import and one
 * vault's dependency snippet, exactly as README prints them, resolved by Maven from the artifacts this build installed;
 * an application compiled against that project's compile class path (hopseal-api alone) and run on its runtime class
 * path, echoing through a secure channel from an identity in that vault.
 */
class MavenCoordinatesIT {
    private static final Duration RUN = Duration.ofSeconds(90);
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL);
    /** A line of {@code dependency:list}: {@code group:artifact:type[:classifier]:version:scope:/path/to.jar[ -- module ...]}. */
    private static final Pattern RESOLVED = Pattern.compile(":(compile|runtime):(/[^ ]+\\.jar)");

    @TempDir
    Path dir;

    private static List<String> snippets() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("hopseal.root"), "README.md"));
        int start = readme.indexOf("### Using Hopseal from Maven");
        assertThat(start).as("README's Maven section").isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start));
        List<String> blocks = new ArrayList<>();
        Matcher m = XML_BLOCK.matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).as("the BOM import, then memory, file and HSM").hasSize(4);
        return blocks;
    }

    @Test
    void theMemoryVaultSnippetRunsAnApplication() throws Exception {
        assertThat(runWith(snippets().get(1), "software", Map.of())).containsExactly("reply: hello from software");
    }

    @Test
    void theFileVaultSnippetRunsAnApplication() throws Exception {
        String spec = "file:" + dir.resolve("app.vault") + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1";
        assertThat(runWith(snippets().get(2), spec, Map.of("HOPSEAL_VAULT_PASSPHRASE", "coordinates")))
                .containsExactly("reply: hello from file");
    }

    @Test
    void theHsmSnippetRunsAnApplication() throws Exception {
        SoftHsm.require();
        String spec = SoftHsm.uri(SoftHsm.TOKEN, "maven-coordinates", "env:" + SoftHsm.PIN_ENV);
        assertThat(runWith(snippets().get(3), spec, Map.of())).containsExactly("reply: hello from pkcs11");
    }

    /** Builds the project from the BOM import and {@code dependencies}, compiles the application, runs it: its stdout. */
    private List<String> runWith(String dependencies, String vaultSpec, Map<String, String> env) throws Exception {
        Path project = Files.createDirectories(dir.resolve("consumer"));
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.example</groupId>
                  <artifactId>consumer</artifactId>
                  <version>1</version>
                %s
                  <dependencies>
                %s
                  </dependencies>
                </project>
                """.formatted(snippets().get(0), dependencies));
        List<Resolved> resolved = resolve(project);
        assertThat(resolved).as("what Maven resolved").filteredOn(r -> r.scope().equals("compile"))
                .extracting(r -> r.jar().getFileName().toString()).as("the compile class path: hopseal-api alone")
                .singleElement().asString().startsWith("hopseal-api-");
        String compile = classpath(resolved.stream().filter(r -> r.scope().equals("compile")).toList());
        String runtime = classpath(resolved);

        Path source = project.resolve("Main.java");
        try (InputStream in = MavenCoordinatesIT.class.getResourceAsStream("/maven-consumer/Main.java")) {
            Files.write(source, in.readAllBytes());
        }
        Path classes = Files.createDirectories(project.resolve("classes"));
        int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "--release", "21", "-cp", compile, "-d", classes.toString(), source.toString());
        assertThat(javac).as("javac against the compile class path").isZero();

        Process app = start(project, env, java(), "--enable-native-access=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classes + File.pathSeparator + runtime, "Main", vaultSpec);
        return finish(app, project, "the application");
    }

    /** One artifact of the project's runtime class path, as Maven resolved it. */
    private record Resolved(String scope, Path jar) {
    }

    /** Maven's resolution of the project's runtime class path (compile and runtime scopes), offline, from this build's local repository. */
    private static List<Resolved> resolve(Path project) throws Exception {
        Path out = project.resolve("resolved.txt");
        Process mvn = start(project, Map.of(), Path.of(System.getProperty("hopseal.maven.home"), "bin", "mvn").toString(),
                "-B", "-q", "-o", "-Dmaven.repo.local=" + System.getProperty("hopseal.maven.repo"),
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list", "-DincludeScope=runtime",
                "-DoutputAbsoluteArtifactFilename=true", "-DoutputFile=" + out);
        finish(mvn, project, "Maven resolving the project");
        List<Resolved> resolved = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            Matcher m = RESOLVED.matcher(line);
            if (m.find()) {
                resolved.add(new Resolved(m.group(1), Path.of(m.group(2))));
            }
        }
        assertThat(resolved).as("Maven's list of " + project.resolve("pom.xml")).isNotEmpty();
        return resolved;
    }

    private static String classpath(List<Resolved> artifacts) {
        return String.join(File.pathSeparator, artifacts.stream().map(r -> r.jar().toString()).toList());
    }

    private static Process start(Path workDir, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        pb.redirectOutput(workDir.resolve("stdout.txt").toFile());
        pb.redirectError(workDir.resolve("stderr.txt").toFile());
        return pb.start();
    }

    /** Waits for the process, asserts it succeeded, and returns its standard output's lines. */
    private static List<String> finish(Process process, Path workDir, String what) throws Exception {
        if (!process.waitFor(RUN.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(what + " did not end in " + RUN);
        }
        String stdout = Files.readString(workDir.resolve("stdout.txt"));
        String stderr = Files.readString(workDir.resolve("stderr.txt"));
        assertThat(process.exitValue()).as(what + " exits 0; stdout: " + stdout + "; stderr: " + stderr).isZero();
        return stdout.lines().toList();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
