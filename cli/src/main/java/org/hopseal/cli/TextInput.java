package org.hopseal.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.ErrorKind;

/** A one-line text (a credential, a ticket) read from a file, or from standard input for {@code -}. */
final class TextInput {
    /** Longer input is no credential or ticket. */
    private static final int MAX_CHARS = 64 * 1024;

    private TextInput() {
    }

    static String read(String fileOrDash, String what) throws CredentialException {
        try {
            if (fileOrDash.equals("-")) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                char[] buffer = new char[MAX_CHARS + 1];
                int n = 0;
                for (int r; n < buffer.length && (r = in.read(buffer, n, buffer.length - n)) > 0; ) {
                    n += r;
                }
                return bounded(new String(buffer, 0, n), what, "standard input");
            }
            Path path = Path.of(fileOrDash);
            if (Files.size(path) > MAX_CHARS) {
                throw new CredentialException(ErrorKind.INVALID, path + " is too large to hold a " + what);
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CredentialException(ErrorKind.NOT_FOUND, "cannot read the " + what + " from " + fileOrDash + ": " + IoErrors.reason(e));
        }
    }

    private static String bounded(String text, String what, String from) throws CredentialException {
        if (text.length() > MAX_CHARS) {
            throw new CredentialException(ErrorKind.INVALID, "the " + what + " on " + from + " is too large");
        }
        return text;
    }
}
