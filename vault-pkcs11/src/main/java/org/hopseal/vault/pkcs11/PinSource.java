package org.hopseal.vault.pkcs11;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;

/** Reads a PIN from {@code env:NAME} or {@code file:PATH} (the first line). The PIN itself is never logged. */
final class PinSource {
    private PinSource() {
    }

    /** The PIN as a fresh array the caller wipes. */
    static char[] read(String source) throws VaultException {
        if (source.startsWith("env:")) {
            String name = source.substring(4);
            String value = System.getenv(name);
            if (value == null || value.isEmpty()) {
                throw new VaultException(ErrorKind.INVALID, "the PIN source env:" + name + " is not set");
            }
            return value.toCharArray();
        }
        if (source.startsWith("file:")) {
            String file = source.substring(5);
            if (file.startsWith("//")) {
                file = file.substring(2);
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                throw new VaultException(ErrorKind.INVALID, "cannot read the PIN file " + file + ": " + e.getMessage());
            }
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
            char[] pin = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(chars.array(), '\0');
            return pin;
        }
        throw new VaultException(ErrorKind.INVALID, "pin-source must be env:NAME or file:PATH");
    }
}
