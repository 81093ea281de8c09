package org.hopseal.benchmarks;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of {@code hopseal bench} or {@code hopseal soak}, checked before any work starts: flags, options that
 * take a value, and the logging options every hopseal command takes ({@code --log-level LEVEL}, {@code -v},
 * {@code -q}/{@code --quiet}, applied at once). Anything else, and {@code --help}, ends the process with a usage line
 * (the whole help is {@code hopseal bench|soak --help}, which the hopseal script answers without building this module).
 */
final class CommandArgs {
    private static final String LOG_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug");

    private final Set<String> flags = new HashSet<>();
    private final Map<String, String> values = new HashMap<>();

    private CommandArgs() {
    }

    /** Parses {@code args} of {@code hopseal command}; exits with status 2 after a usage error, 0 after {@code --help}. */
    static CommandArgs parse(String command, String[] args, Set<String> knownFlags, Set<String> knownValued) {
        CommandArgs parsed = new CommandArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println("Usage: hopseal " + command + " [OPTIONS]; 'hopseal " + command + " --help' lists them");
                System.exit(0);
            } else if (arg.equals("-v")) {
                System.setProperty(LOG_PROPERTY, "debug");
            } else if (arg.equals("-q") || arg.equals("--quiet")) {
                System.setProperty(LOG_PROPERTY, "error");
            } else if (knownFlags.contains(arg)) {
                parsed.flags.add(arg);
            } else if (arg.equals("--log-level") || knownValued.contains(arg)) {
                if (i + 1 == args.length) {
                    usageError(command, "option '" + arg + "' needs a value");
                }
                String value = args[++i];
                if (arg.equals("--log-level")) {
                    if (!LEVELS.contains(value.toLowerCase(Locale.ROOT))) {
                        usageError(command, "'" + value + "' is not one of error, warn, info, debug");
                    }
                    System.setProperty(LOG_PROPERTY, value.toLowerCase(Locale.ROOT));
                } else {
                    parsed.values.put(arg, value);
                }
            } else {
                usageError(command, "unknown option or argument '" + arg + "'");
            }
        }
        return parsed;
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    String value(String option, String otherwise) {
        return values.getOrDefault(option, otherwise);
    }

    /** The option's value as a number; a usage error when it is none. */
    double number(String command, String option, double otherwise) {
        String value = values.get(option);
        if (value == null) {
            return otherwise;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            usageError(command, "option '" + option + "' takes a number, was '" + value + "'");
            return otherwise;
        }
    }

    private static void usageError(String command, String message) {
        System.err.println("hopseal " + command + ": " + message);
        System.err.println("Try 'hopseal " + command + " --help' for more information.");
        System.exit(2);
    }
}
