package org.hopseal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hopseal} command. */
@Command(name = "hopseal", mixinStandardHelpOptions = true, version = "hopseal 0.1.0",
        description = "End-to-end encrypted, mutually authenticated messaging between workers, across hops and nodes.",
        subcommands = {DemoCommand.class, VectorsCommand.class, NoiseCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
