package org.hopseal.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hopseal.api.error.PolicyException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.policy.Token.Kind;

/**
 * Recursive descent over the grammar in {@link Policy}, one method per rule. Recursion happens only through
 * {@code not} and {@code (}, which {@link #enter} counts, so the stack depth is bounded by {@link Policy#MAX_DEPTH}.
 */
final class Parser {
    /** How much of an offending token a message quotes. */
    private static final int QUOTED_LENGTH = 40;

    private final Lexer lexer;
    private Token current;
    private int depth;

    private Parser(int[] text) throws PolicyException {
        lexer = new Lexer(text);
        current = lexer.next();
    }

    /** The expression of {@code source}, which has at most {@link Policy#MAX_LENGTH} characters. */
    static Expression parse(String source) throws PolicyException {
        int length = source.codePointCount(0, source.length());
        if (length > Policy.MAX_LENGTH) {
            int position = Policy.MAX_LENGTH + 1;
            throw new PolicyException(position, "policy: the expression has " + length
                    + " characters, over the limit of " + Policy.MAX_LENGTH + " (at position " + position + ")");
        }
        Parser parser = new Parser(source.codePoints().toArray());
        Expression expression = parser.or();
        if (!parser.current.is(Kind.END)) {
            Token unexpected = parser.current;
            throw new PolicyException(unexpected.position(), "policy: unexpected " + describe(unexpected)
                    + " at position " + unexpected.position() + ", expected 'and', 'or' or the end of the expression"
                    + hint(unexpected));
        }
        return expression;
    }

    // or = and { "or" and }
    private Expression or() throws PolicyException {
        List<Expression> operands = new ArrayList<>();
        operands.add(and());
        while (current.is(Kind.OR)) {
            advance();
            operands.add(and());
        }
        return operands.size() == 1 ? operands.getFirst() : new Expression.AnyOf(operands);
    }

    // and = unary { "and" unary }
    private Expression and() throws PolicyException {
        List<Expression> operands = new ArrayList<>();
        operands.add(unary());
        while (current.is(Kind.AND)) {
            advance();
            operands.add(unary());
        }
        return operands.size() == 1 ? operands.getFirst() : new Expression.AllOf(operands);
    }

    // unary = "not" unary | primary
    private Expression unary() throws PolicyException {
        if (!current.is(Kind.NOT)) {
            return primary();
        }
        enter();
        Expression operand = unary();
        depth--;
        return new Expression.Not(operand);
    }

    // primary = "(" or ")" | "true" | "false" | comparison
    private Expression primary() throws PolicyException {
        switch (current.kind()) {
            case LEFT_PARENTHESIS -> {
                enter();
                Expression inner = or();
                expect(Kind.RIGHT_PARENTHESIS, "'and', 'or' or ')'");
                depth--;
                return inner;
            }
            case TRUE, FALSE -> {
                boolean value = current.is(Kind.TRUE);
                advance();
                return new Expression.Constant(value);
            }
            case SUBJECT -> {
                return comparison();
            }
            default -> throw expected("'not', '(', 'true', 'false' or subject.NAME");
        }
    }

    // comparison = subject ( "=" string | "!=" string | "in" "[" [ string { "," string } ] "]" )
    private Expression comparison() throws PolicyException {
        Token subject = current;
        String name = subject.value();
        advance();
        Kind operator = current.kind();
        switch (operator) {
            case EQUALS, NOT_EQUALS -> {
                Token operatorToken = current;
                advance();
                String value = string(name, "a string in double quotes after '" + operatorToken.text() + "'");
                return new Expression.Comparison(name, operator == Kind.NOT_EQUALS, Set.of(value));
            }
            case IN -> {
                advance();
                return new Expression.Comparison(name, false, Set.copyOf(list(name)));
            }
            default -> throw expected("'=', '!=' or 'in' after " + subject.text());
        }
    }

    // "[" [ string { "," string } ] "]"
    private List<String> list(String name) throws PolicyException {
        expect(Kind.LEFT_BRACKET, "'[' after 'in'");
        List<String> values = new ArrayList<>();
        if (!current.is(Kind.RIGHT_BRACKET)) {
            values.add(string(name, "a string in double quotes or ']'"));
            while (current.is(Kind.COMMA)) {
                advance();
                if (values.size() >= Policy.MAX_LIST) {
                    throw new PolicyException(current.position(), "policy: an 'in' list is over the limit of "
                            + Policy.MAX_LIST + " strings at position " + current.position());
                }
                values.add(string(name, "a string in double quotes after ','"));
            }
        }
        expect(Kind.RIGHT_BRACKET, "',' or ']'");
        return values;
    }

    /** The current token's value, which must be a string (and an identifier, for {@code subject.identifier}). */
    private String string(String name, String expectation) throws PolicyException {
        if (!current.is(Kind.STRING)) {
            throw expected(expectation);
        }
        String value = current.value();
        if (name.equals(Expression.Comparison.IDENTIFIER)) {
            try {
                new Identifier(value);
            } catch (IllegalArgumentException e) {
                throw expected("an identifier ('I' and 64 lower-case hex characters) for subject.identifier");
            }
        }
        advance();
        return value;
    }

    /** One level deeper at the current token ({@code not} or {@code (}), which it consumes. */
    private void enter() throws PolicyException {
        if (depth >= Policy.MAX_DEPTH) {
            throw new PolicyException(current.position(), "policy: nesting depth is over the limit of "
                    + Policy.MAX_DEPTH + " at position " + current.position() + " (each '(' and 'not' nests)");
        }
        depth++;
        advance();
    }

    private void expect(Kind kind, String expectation) throws PolicyException {
        if (!current.is(kind)) {
            throw expected(expectation);
        }
        advance();
    }

    private void advance() throws PolicyException {
        current = lexer.next();
    }

    private PolicyException expected(String expectation) {
        return new PolicyException(current.position(), "policy: expected " + expectation + " at position "
                + current.position() + ", found " + describe(current) + hint(current));
    }

    /** A token for a message: quoted and shortened. */
    static String describe(Token token) {
        return token.is(Kind.END) ? "the end of the expression" : quote(token.text());
    }

    /** A hint for a keyword in another spelling, or for a string in single quotes; else empty. */
    private static String hint(Token token) {
        String text = token.text();
        return switch (text) {
            case "&&" -> " (write 'and')";
            case "||" -> " (write 'or')";
            case "!" -> " (write 'not')";
            case "'" -> " (strings are in double quotes)";
            default -> token.is(Kind.WORD) && isKeyword(text.toLowerCase(Locale.ROOT))
                    ? " (keywords are lower-case)"
                    : "";
        };
    }

    private static boolean isKeyword(String word) {
        return switch (word) {
            case "and", "or", "not", "in", "true", "false" -> true;
            default -> false;
        };
    }

    /** {@code text} in single quotes: at most {@value #QUOTED_LENGTH} characters, control characters as U+XXXX. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("'");
        text.codePoints().limit(QUOTED_LENGTH).forEach(c -> quoted.append(
                Character.isISOControl(c) ? String.format("U+%04X", c) : Character.toString(c)));
        return quoted.append(text.codePointCount(0, text.length()) > QUOTED_LENGTH ? "...'" : "'").toString();
    }
}
