package org.hopseal.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json}: how a command that prints records prints them. */
final class OutputOption {
    /** The formats: lines for people, or one JSON document for programs. */
    enum Format { text, json }

    @Option(names = "--output", defaultValue = "text", paramLabel = "text|json",
            description = "text (the default) or json: one JSON document, its fields as the README's 'hopseal' section lists them")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}
