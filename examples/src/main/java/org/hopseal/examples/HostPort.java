package org.hopseal.examples;

/**
 * An example's address argument: {@code HOST:PORT} as the README writes it ({@code 127.0.0.1:4000}), or a bare
 * {@code PORT} on {@code 127.0.0.1}, as older instructions wrote it.
 */
final class HostPort {
    private HostPort() {
    }

    /** {@code args[index]} as {@code HOST:PORT}, or {@code fallback} if there is no such argument. */
    static String arg(String[] args, int index, String fallback) {
        if (args.length <= index) {
            return fallback;
        }
        String given = args[index];
        return given.contains(":") ? given : "127.0.0.1:" + given;
    }
}
