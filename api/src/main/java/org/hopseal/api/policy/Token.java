package org.hopseal.api.policy;

/**
 * One token of a policy expression.
 *
 * @param kind what the token is
 * @param position where it starts, counted in characters from 1
 * @param text the token as written (for {@link Kind#END}, empty)
 * @param value a string's decoded contents, a subject's name; otherwise the text
 */
record Token(Kind kind, int position, String text, String value) {
    enum Kind {
        LEFT_PARENTHESIS, RIGHT_PARENTHESIS, LEFT_BRACKET, RIGHT_BRACKET, COMMA, EQUALS, NOT_EQUALS,
        AND, OR, NOT, IN, TRUE, FALSE, SUBJECT, STRING,
        /** A word that is no keyword and no subject, such as {@code AND} or {@code web}. */
        WORD,
        /** Anything else, such as {@code &&}. */
        OTHER,
        END
    }

    Token(Kind kind, int position, String text) {
        this(kind, position, text, text);
    }

    boolean is(Kind other) {
        return kind == other;
    }
}
