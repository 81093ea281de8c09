package org.hopseal.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How much the command logs on standard error: {@code --log-level}, {@code -v} (debug) and {@code -q} (error). */
enum LogLevel {
    ERROR, WARN, INFO, DEBUG;

    /** The SLF4J simple logger's setting, read when its first logger is made: applied before anything logs. */
    static final String PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    void apply() {
        System.setProperty(PROPERTY, name().toLowerCase(Locale.ROOT));
    }

    /** {@code error}, {@code warn}, {@code info} or {@code debug}, in any case. */
    static final class Converter implements ITypeConverter<LogLevel> {
        @Override
        public LogLevel convert(String value) {
            for (LogLevel level : values()) {
                if (level.name().equalsIgnoreCase(value)) {
                    return level;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of error, warn, info, debug");
        }
    }
}
