package org.hopseal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hopseal bench}: the benchmarks, which live in the benchmarks module; the {@code hopseal} script builds and
 * runs them, and hands only {@code --help} here.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the benchmarks (the README's tables) and writes them under bench-results/; the hopseal script",
                "builds the benchmarks module first (a minute on first use). Each option below runs one part alone."},
        footer = {"", "Examples:", "  hopseal bench --quick", "  hopseal bench --tls-check --seconds 10", "  hopseal bench --relays --quick"})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "a smoke test: short runs, no ratios, written under bench-results/tmp")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "where the full run writes its results (default bench-results)")
    String out;

    @Option(names = "--tls-check", description = "only the plain TLS cross-check")
    boolean tlsCheck;

    @Option(names = "--seconds", paramLabel = "N", description = "with --tls-check: how long each figure is measured (default 5)")
    Integer seconds;

    @Option(names = "--portals", description = "only the portal rows (needs PostgreSQL, stunnel4 and iperf3)")
    boolean portals;

    @Option(names = "--relays", description = "only the relay rows")
    boolean relays;

    @Option(names = "--tpm", description = "only the TPM token rows (needs swtpm, tpm2-abrmd and tpm2-pkcs11)")
    boolean tpm;

    @Option(names = "--kafka", description = "only the Kafka rows")
    boolean kafka;

    @Option(names = "--pq", description = "only the hybrid and classical handshake rows")
    boolean pq;

    @Override
    public Integer call() {
        return ScriptOnly.refuse("bench");
    }
}
