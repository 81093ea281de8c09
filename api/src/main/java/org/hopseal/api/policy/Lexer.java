package org.hopseal.api.policy;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.hopseal.api.error.PolicyException;
import org.hopseal.api.policy.Token.Kind;

/** Splits a policy expression into tokens, one at a time, so that the first error in reading order is reported. */
final class Lexer {
    static final String SUBJECT_PREFIX = "subject.";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    private final int[] text;
    private int index;

    Lexer(int[] text) {
        this.text = text;
    }

    Token next() throws PolicyException {
        while (index < text.length && isSpace(text[index])) {
            index++;
        }
        int start = index;
        if (start == text.length) {
            return new Token(Kind.END, start + 1, "");
        }
        int c = text[start];
        return switch (c) {
            case '(' -> symbol(Kind.LEFT_PARENTHESIS, 1);
            case ')' -> symbol(Kind.RIGHT_PARENTHESIS, 1);
            case '[' -> symbol(Kind.LEFT_BRACKET, 1);
            case ']' -> symbol(Kind.RIGHT_BRACKET, 1);
            case ',' -> symbol(Kind.COMMA, 1);
            case '=' -> symbol(Kind.EQUALS, 1);
            case '!' -> start + 1 < text.length && text[start + 1] == '='
                    ? symbol(Kind.NOT_EQUALS, 2)
                    : symbol(Kind.OTHER, 1);
            case '"' -> string();
            default -> isWordPart(c) ? word() : other();
        };
    }

    private Token symbol(Kind kind, int length) {
        int start = index;
        index += length;
        return new Token(kind, start + 1, source(start));
    }

    /** A keyword, a subject, or a word that is neither. */
    private Token word() throws PolicyException {
        int start = index;
        while (index < text.length && isWordPart(text[index])) {
            index++;
        }
        String word = source(start);
        Kind kind = switch (word) {
            case "and" -> Kind.AND;
            case "or" -> Kind.OR;
            case "not" -> Kind.NOT;
            case "in" -> Kind.IN;
            case "true" -> Kind.TRUE;
            case "false" -> Kind.FALSE;
            default -> word.startsWith(SUBJECT_PREFIX) ? Kind.SUBJECT : Kind.WORD;
        };
        if (kind != Kind.SUBJECT) {
            return new Token(kind, start + 1, word);
        }
        String name = word.substring(SUBJECT_PREFIX.length());
        if (!NAME.matcher(name).matches()) {
            int position = start + 1 + SUBJECT_PREFIX.length();
            throw new PolicyException(position, "policy: expected a name of [a-z][a-z0-9_-]{0,63} after 'subject.'"
                    + " at position " + position + ", found "
                    + (name.isEmpty() ? "an empty name" : Parser.quote(name)));
        }
        return new Token(Kind.SUBJECT, start + 1, word, name);
    }

    /** A run of characters that belong to no token, or one control character. */
    private Token other() {
        int start = index;
        do {
            index++;
        } while (!Character.isISOControl(text[start]) && index < text.length && isOtherPart(text[index]));
        return new Token(Kind.OTHER, start + 1, source(start));
    }

    private Token string() throws PolicyException {
        int start = index;
        StringBuilder value = new StringBuilder();
        index++;
        while (true) {
            if (index == text.length) {
                throw new PolicyException(start + 1, "policy: unterminated string at position " + (start + 1)
                        + ", expected a closing '\"' before the end of the expression");
            }
            int c = text[index];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                int escaped = index + 1 < text.length ? text[index + 1] : -1;
                if (escaped != '"' && escaped != '\\') {
                    throw new PolicyException(index + 1, "policy: expected '\\\"' or '\\\\' at position " + (index + 1)
                            + " in a string, found " + (escaped < 0 ? "'\\' at the end of the expression"
                                    : Parser.quote("\\" + Character.toString(escaped))));
                }
                c = escaped;
                index++;
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE) {
                throw new PolicyException(index + 1, "policy: expected a printable character at position " + (index + 1)
                        + " in a string, found " + Parser.quote(Character.toString(c))
                        + " (control characters and unpaired surrogates cannot be written in a string)");
            }
            value.appendCodePoint(c);
            index++;
        }
        index++;
        String decoded = value.toString();
        if (decoded.getBytes(StandardCharsets.UTF_8).length > Policy.MAX_STRING_BYTES) {
            throw new PolicyException(start + 1, "policy: string at position " + (start + 1) + " is over the limit of "
                    + Policy.MAX_STRING_BYTES + " UTF-8 bytes");
        }
        return new Token(Kind.STRING, start + 1, source(start), decoded);
    }

    private String source(int start) {
        return new String(text, start, index - start);
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n';
    }

    private static boolean isWordPart(int c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-';
    }

    private static boolean isOtherPart(int c) {
        return !isSpace(c) && !isWordPart(c) && !Character.isISOControl(c) && "()[],=!\"".indexOf(c) < 0;
    }
}
