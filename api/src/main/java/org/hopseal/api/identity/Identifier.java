package org.hopseal.api.identity;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who an entity is: {@code "I"} followed by 64 hex characters, derived from the first change of its identity's
 * history, so that it survives key rotation.
 *
 * @param value the text form: {@code "I"} and 64 lower-case hex characters
 * @since 0.1
 */
public record Identifier(String value) {
    private static final Pattern FORM = Pattern.compile("I[0-9a-f]{64}");

    /**
     * Checks the form.
     *
     * @throws NullPointerException if {@code value} is {@code null}
     * @throws IllegalArgumentException if {@code value} is not {@code "I"} and 64 lower-case hex characters
     */
    public Identifier {
        Objects.requireNonNull(value, "value");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("an identifier is 'I' followed by 64 lower-case hex characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
