package org.hopseal.cli;

/** A config file that cannot be read, or holds something its command does not take; the message names the file. */
final class ConfigFileException extends Exception {
    ConfigFileException(String message) {
        super(message);
    }
}
