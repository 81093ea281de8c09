package org.hopseal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hopseal soak}: the two-process load and soak harness, which lives in the benchmarks module; the
 * {@code hopseal} script builds and runs it, and hands only {@code --help} here.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Runs the two-process load and soak harness: a responder node in a child JVM, N channels to it at once,",
                "M messages on each (sizes mixed up to BYTES) checked to come back exactly once and in order, then heap",
                "and threads of both processes checked to be back near their baseline. Prints 'SOAK OK ...' or",
                "'SOAK FAILED ...' and exits 0 or 1. The hopseal script builds the benchmarks module first."},
        footer = {"", "Example:", "  hopseal soak --channels 100 --messages 100 --max-size 65536 --minutes 10"})
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--channels", paramLabel = "N", description = "channels open at once (default 100)")
    Integer channels;

    @Option(names = "--messages", paramLabel = "M", description = "messages on each channel per round (default 100)")
    Integer messages;

    @Option(names = "--max-size", paramLabel = "BYTES", description = "the largest message (default 65536)")
    Integer maxSize;

    @Option(names = "--minutes", paramLabel = "T", description = "repeat rounds for this long (default: one round)")
    Double minutes;

    @Override
    public Integer call() {
        return ScriptOnly.refuse("soak");
    }
}
