package org.hopseal.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --log-level}, {@code -v} and {@code -q}, taken by every command (inherited from {@code hopseal}); each is
 * applied as it is parsed, before the command runs and anything logs.
 */
final class LoggingOptions {
    @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT, converter = LogLevel.Converter.class,
            description = "what to log on standard error: error, warn (the default), info or debug")
    void logLevel(LogLevel level) {
        if (level != null) {
            level.apply();
        }
    }

    @Option(names = "-v", scope = ScopeType.INHERIT, description = "log everything (--log-level debug)")
    void verbose(boolean on) {
        if (on) {
            LogLevel.DEBUG.apply();
        }
    }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "log errors only (--log-level error)")
    void quiet(boolean on) {
        if (on) {
            LogLevel.ERROR.apply();
        }
    }
}
