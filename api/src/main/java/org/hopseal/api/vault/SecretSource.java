package org.hopseal.api.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;

/**
 * Where a secret that unlocks a vault is read from, as a vault spec names it: {@code env:NAME}, an environment
 * variable, or {@code file:PATH} (also written {@code file://PATH}), the first line of a file without its line ending
 * ({@code \n} or {@code \r\n}), so that a file written with a trailing newline holds just the secret. A PKCS#11 URI's
 * {@code pin-source} and a file vault's {@code passphrase-source} are secret sources.
 *
 * <p>The secret is read only by {@link #read()}, as a fresh array the caller wipes. It appears in no message and not
 * in {@link #toString()}, which is the source as written. A value that is neither form is refused without being
 * repeated (it may be the secret itself, written where its source belongs). Every refusal is a
 * {@link VaultException} of kind {@link ErrorKind#INVALID} naming the parameter: a malformed source, an unset or
 * empty variable, a missing or unreadable file, an empty first line, a file that is not UTF-8, or a first line longer
 * than {@value #MAX_BYTES} bytes.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public final class SecretSource {
    /** The longest secret a file may hold, in bytes. */
    public static final int MAX_BYTES = 4096;
    private static final String ENV = "env:";
    private static final String FILE = "file:";

    private final String parameter;
    private final String variable;
    private final Path file;

    private SecretSource(String parameter, String variable, Path file) {
        this.parameter = parameter;
        this.variable = variable;
        this.file = file;
    }

    /**
     * Parses {@code source}, the value of {@code parameter} (such as {@code pin-source}; messages name it).
     *
     * @param parameter the name of the setting that holds the source, for messages
     * @param source {@code env:NAME} or {@code file:PATH}
     * @return the source; nothing is read yet
     * @throws VaultException {@link ErrorKind#INVALID} if {@code source} is not {@code env:NAME} or {@code file:PATH}
     */
    public static SecretSource parse(String parameter, String source) throws VaultException {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(source, "source");
        if (source.startsWith(ENV) && source.length() > ENV.length()) {
            return new SecretSource(parameter, source.substring(ENV.length()), null);
        }
        if (source.startsWith(FILE)) {
            String path = source.substring(FILE.length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            if (!path.isEmpty()) {
                return new SecretSource(parameter, null, Path.of(path));
            }
        }
        throw new VaultException(ErrorKind.INVALID, parameter + " must be env:NAME or file:PATH");
    }

    /**
     * Reads the secret, anew at each call.
     *
     * @return the secret, as a fresh array the caller wipes
     * @throws VaultException {@link ErrorKind#INVALID} if the variable is unset or empty, or the file cannot be read or
     *     holds no secret (see above)
     */
    public char[] read() throws VaultException {
        return variable != null ? fromEnvironment() : fromFile();
    }

    private char[] fromEnvironment() throws VaultException {
        String value = System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw new VaultException(ErrorKind.INVALID, "the environment variable " + variable + " (" + parameter + ") is "
                    + (value == null ? "not set" : "empty"));
        }
        return value.toCharArray();
    }

    private char[] fromFile() throws VaultException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw refusal("cannot be read: " + reason(e));
        }
        try {
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            if (end > MAX_BYTES) {
                throw refusal("has a first line longer than " + MAX_BYTES + " bytes");
            }
            if (end == 0) {
                throw refusal(bytes.length == 0 ? "is empty" : "has an empty first line");
            }
            return decode(bytes, end);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The UTF-8 text of {@code bytes[0, end)}; malformed bytes are refused, never replaced. */
    private char[] decode(byte[] bytes, int end) throws VaultException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(end);
        try {
            if (decoder.decode(ByteBuffer.wrap(bytes, 0, end), chars, true).isError() || decoder.flush(chars).isError()) {
                throw refusal("is not UTF-8 text");
            }
            return Arrays.copyOf(chars.array(), chars.position());
        } finally {
            Arrays.fill(chars.array(), '\0');
        }
    }

    private VaultException refusal(String what) {
        return new VaultException(ErrorKind.INVALID, "the file " + file + " (" + parameter + ") " + what);
    }

    /** Why a file could not be read, without repeating its path (which the message names already). */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "it does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    }

    /** The source as written ({@code env:NAME} or {@code file:PATH}); never the secret. */
    @Override
    public String toString() {
        return variable != null ? ENV + variable : FILE + file;
    }
}
