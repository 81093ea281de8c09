package org.hopseal.vault.pkcs11;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;

/**
 * A PKCS#11 URI (RFC 7512): path attributes ({@code token}, {@code serial}, {@code object}, {@code id}, ...) after
 * {@code pkcs11:}, separated by {@code ;}, and query attributes ({@code module-path}, {@code pin-source}) after
 * {@code ?}, separated by {@code &}; values are percent-encoded. {@code pin-value} is refused: a PIN never goes on a
 * command line. {@link #toString()} never shows more than the URI, which holds no secret.
 */
record Pkcs11Uri(Map<String, String> path, Map<String, String> query) {
    static Pkcs11Uri parse(String uri) throws VaultException {
        if (!uri.startsWith("pkcs11:")) {
            throw new VaultException(ErrorKind.INVALID, "a PKCS#11 URI starts with 'pkcs11:'");
        }
        String rest = uri.substring("pkcs11:".length());
        int q = rest.indexOf('?');
        Map<String, String> path = attributes(q < 0 ? rest : rest.substring(0, q), ";");
        Map<String, String> query = attributes(q < 0 ? "" : rest.substring(q + 1), "&");
        if (query.containsKey("pin-value") || path.containsKey("pin-value")) {
            throw new VaultException(ErrorKind.INVALID, "pin-value is refused: give the PIN with pin-source=env:NAME or pin-source=file:PATH");
        }
        return new Pkcs11Uri(path, query);
    }

    private static Map<String, String> attributes(String part, String separator) throws VaultException {
        Map<String, String> out = new LinkedHashMap<>();
        if (part.isEmpty()) {
            return out;
        }
        for (String kv : part.split(separator)) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new VaultException(ErrorKind.INVALID, "bad PKCS#11 URI attribute '" + kv + "'");
            }
            out.put(kv.substring(0, eq), decode(kv.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) throws VaultException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new VaultException(ErrorKind.INVALID, "bad percent-encoding in a PKCS#11 URI");
                }
                try {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    throw new VaultException(ErrorKind.INVALID, "bad percent-encoding in a PKCS#11 URI");
                }
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    Optional<String> path(String name) {
        return Optional.ofNullable(path.get(name));
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** Object id bytes ({@code id=%01%02}), if given. */
    Optional<byte[]> id() {
        return path("id").map(v -> v.getBytes(StandardCharsets.ISO_8859_1));
    }
}
