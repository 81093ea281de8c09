package org.hopseal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;

/** The text {@code hopseal send} sends: its MESSAGE argument, or standard input for {@code -}, at most 16 MiB. */
final class MessageInput {
    /** The largest message a node's channels carry: 16 MiB (a larger one would be dropped, and the reply never come). */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private MessageInput() {
    }

    /** The message: {@code argument} itself, or for {@code -} all of {@code stdin}, refused when larger than the maximum. */
    static String read(String argument, InputStream stdin) throws RoutingException {
        if (!argument.equals("-")) {
            return bounded(argument.getBytes(StandardCharsets.UTF_8).length, argument);
        }
        try {
            byte[] bytes = stdin.readNBytes(MAX_BYTES + 1);
            return bounded(bytes.length, new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RoutingException(ErrorKind.INVALID, "cannot read the message from standard input: " + e.getMessage());
        }
    }

    private static String bounded(int bytes, String message) throws RoutingException {
        if (bytes > MAX_BYTES) {
            throw new RoutingException(ErrorKind.INVALID, "the message is larger than the maximum of " + MAX_BYTES
                    + " bytes (16 MiB) a node carries");
        }
        return message;
    }
}
