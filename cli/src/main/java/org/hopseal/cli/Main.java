package org.hopseal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code hopseal} command. */
@Command(name = "hopseal", mixinStandardHelpOptions = true, version = "hopseal 0.1.0",
        description = "End-to-end encrypted, mutually authenticated messaging between workers, across hops and nodes.",
        subcommands = {DemoCommand.class, ExampleCommand.class, IdentityCommand.class, NodeCommand.class, SendCommand.class,
                InletCommand.class, AuthorityCommand.class, EnrollCommand.class, CredentialCommand.class, VaultCommand.class,
                VectorsCommand.class, NoiseCommand.class, BenchCommand.class, SoakCommand.class,
                CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    /** The width help texts are laid out for. */
    static final int USAGE_WIDTH = 120;

    @Mixin
    LoggingOptions logging;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, with its error handlers and help layout. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // A failure names the problem (and the fix) in one line, without a stack trace.
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return 1;
        });
        // The descriptions are written for 120 columns; at picocli's 80 each of their lines would wrap.
        cl.setUsageHelpWidth(USAGE_WIDTH);
        // --output JSON, completion BASH.
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        CommandList.install(cl);
        return cl;
    }
}
