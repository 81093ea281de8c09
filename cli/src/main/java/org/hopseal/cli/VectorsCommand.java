package org.hopseal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.channel.noise.NoiseVectorRunner;
import org.hopseal.core.channel.x3dh.X3dhVectorRunner;
import org.hopseal.core.vectors.VectorOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hopseal vectors noise|x3dh FILE...}: replays test vectors and reports per file and in total. */
@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = "Runs protocol test vectors through Hopseal's engines on the software vault.",
        subcommands = {VectorsCommand.Noise.class, VectorsCommand.X3dhVectors.class})
final class VectorsCommand {

    /** Reads a file into results; the runner's own parse errors are thrown as unchecked exceptions. */
    @FunctionalInterface
    interface FileRunner {
        List<VectorOutcome> run(Vaults vaults, String text);
    }

    /** Runs every file, prints a line per file and a total line; 0 when nothing failed. */
    static int runAll(List<Path> files, boolean verbose, FileRunner runner) throws Exception {
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        try (Vaults vaults = Vaults.open("software")) {
            for (Path file : files) {
                List<VectorOutcome> results;
                try {
                    results = runner.run(vaults, Files.readString(file));
                } catch (IOException | RuntimeException e) {
                    System.err.println(file + ": cannot read vectors: " + IoErrors.reason(e));
                    failed++;
                    continue;
                }
                int p = 0;
                int f = 0;
                int s = 0;
                for (VectorOutcome r : results) {
                    if (r.status() == VectorOutcome.Status.PASSED) {
                        p++;
                    } else if (r.status() == VectorOutcome.Status.SKIPPED) {
                        s++;
                        if (verbose) {
                            System.out.println(file + ": skipped " + r.name() + ": " + r.detail());
                        }
                    } else {
                        f++;
                        System.err.println(file + ": FAILED " + r.name() + ": " + r.detail());
                    }
                }
                System.out.println(file + ": " + p + " passed, " + f + " failed, " + s + " skipped");
                passed += p;
                failed += f;
                skipped += s;
            }
        }
        System.out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed == 0 ? 0 : 1;
    }

    @Command(name = "noise", mixinStandardHelpOptions = true,
            description = "Runs Noise vectors in the cacophony JSON layout (cacophony, snow, noise-c files).",
            footer = {"", "Prints 'FILE: N passed, N failed, N skipped' per file and a total line; exits 1 on any failure.",
                    "", "Example:", "  hopseal vectors noise cacophony.txt snow.txt --verbose"})
    static final class Noise implements Callable<Integer> {
        @Mixin
        VectorFiles files;

        @Override
        public Integer call() throws Exception {
            return runAll(files.files, files.verbose, (vaults, text) -> new NoiseVectorRunner(vaults).runFile(text));
        }
    }

    @Command(name = "x3dh", mixinStandardHelpOptions = true,
            description = "Runs X3DH vectors ({\"cases\": [...]}, e.g. core/src/test/resources/vectors/x3dh/x3dh-vectors.json).",
            footer = {"", "Prints 'FILE: N passed, N failed, N skipped' per file and a total line; exits 1 on any failure.",
                    "", "Example:", "  hopseal vectors x3dh core/src/test/resources/vectors/x3dh/x3dh-vectors.json --verbose"})
    static final class X3dhVectors implements Callable<Integer> {
        @Mixin
        VectorFiles files;

        @Override
        public Integer call() throws Exception {
            return runAll(files.files, files.verbose, (vaults, text) -> new X3dhVectorRunner(vaults).runFile(text));
        }
    }

    /** The files and the verbosity every vectors subcommand takes. */
    static final class VectorFiles {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "vector files")
        List<Path> files;

        @Option(names = "--verbose", description = "list every skipped vector with its reason")
        boolean verbose;
    }
}
