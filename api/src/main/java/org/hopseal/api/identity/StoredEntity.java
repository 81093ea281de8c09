package org.hopseal.api.identity;

import java.util.Objects;
import java.util.regex.Pattern;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.IdentityException;

/**
 * An identity kept in a vault, as {@link Entity#list} reports it: its name within the vault (empty for an identity
 * created without one) and its identifier.
 *
 * <p>A name is 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit, and never in the
 * form of an identifier, so that "a name or an identifier" is never ambiguous.
 *
 * @param name the identity's name within its vault; empty for an identity created without one
 * @param identifier who the identity is
 * @since 0.2
 */
public record StoredEntity(String name, Identifier identifier) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The name identities get when none is given: {@value}. */
    public static final String DEFAULT_NAME = "default";

    /**
     * Checks that both components are present; the name's form is not checked here ({@link #checkName} does).
     *
     * @throws NullPointerException if {@code name} or {@code identifier} is {@code null}
     */
    public StoredEntity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(identifier, "identifier");
    }

    /** {@return whether this identity was created with a name} */
    public boolean isNamed() {
        return !name.isEmpty();
    }

    /**
     * Returns {@code name} if it is a valid identity name, else fails saying what a name may be.
     *
     * @param name the candidate name
     * @return {@code name}, unchanged
     * @throws IdentityException {@code INVALID} if {@code name} breaks the rules above
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public static String checkName(String name) throws IdentityException {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || isIdentifier(name)) {
            throw new IdentityException(ErrorKind.INVALID, "'" + name + "' is not an identity name: use 1 to 64 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit, and not in the form of an identifier");
        }
        return name;
    }

    /**
     * Whether {@code nameOrIdentifier} is in the form of an identifier (and so is not a name).
     *
     * @param nameOrIdentifier the text to classify
     * @return whether it is {@code "I"} and 64 lower-case hex characters
     */
    public static boolean isIdentifier(String nameOrIdentifier) {
        try {
            new Identifier(nameOrIdentifier);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
