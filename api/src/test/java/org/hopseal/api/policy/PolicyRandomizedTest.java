package org.hopseal.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.hopseal.api.error.PolicyException;
import org.hopseal.api.identity.Identifier;
import org.junit.jupiter.api.Test;

/**
 * Seeded random expressions: valid ones, valid ones with a piece inserted or cut out, and tokens and stray characters
 * strung together: each one parses, or is refused with a
 * {@link PolicyException} that points inside it (or just past its end); nothing else escapes.
 */
class PolicyRandomizedTest {
    private static final String[] PIECES = {
        "(", ")", "[", "]", ",", "=", "!=", "!", "and", "or", "not", "in", "true", "false", "AND", "&&", "subject.a",
        "subject.b", "subject.identifier", "subject.", "subject.B", "\"x\"", "\"\"", "\"\\\"\"", "\"\\", "\"", "'",
        "\\", "web", " ", " ", " ", "\t", "\n", "\r", "\u0000", "\uD83D\uDE00", "\uD800", "é", "((((((((((", "not not not",
        "\"I" + "a".repeat(64) + "\"",
    };
    private static final Identifier PEER = new Identifier("I" + "a".repeat(64));

    @Test
    void everyInputParsesOrIsRefusedAtAPositionWithinIt() throws PolicyException {
        SplittableRandom random = new SplittableRandom(20261203);
        int parsed = 0;
        for (int i = 0; i < 3_000; i++) {
            String valid = expression(random, 0);
            assertThat(Policy.parse(valid)).as(valid).hasToString(valid);
            parsed += parsesOrIsRefusedWell(mutated(random, valid)) ? 1 : 0;
            parsesOrIsRefusedWell(pieces(random));
        }
        assertThat(parsed).as("some mutated expressions are still valid").isGreaterThan(10);
    }

    private static boolean parsesOrIsRefusedWell(String text) {
        try {
            Policy policy = Policy.parse(text);
            policy.test(PEER, Map.of("a", "x"));
            assertThat(policy).hasToString(text).isEqualTo(Policy.parse(text));
            return true;
        } catch (PolicyException e) {
            assertThat(e.position()).as(text).isBetween(1, text.codePointCount(0, text.length()) + 1);
            assertThat(e.getMessage()).as(text).startsWith("policy: ").contains("at position " + e.position());
            return false;
        }
    }

    /** A valid expression. */
    private static String expression(SplittableRandom random, int depth) {
        int choice = random.nextInt(depth > 4 ? 3 : 7);
        return switch (choice) {
            case 0 -> random.nextBoolean() ? "true" : "false";
            case 1, 2 -> comparison(random);
            case 3 -> "not " + expression(random, depth + 1);
            case 4 -> "(" + expression(random, depth + 1) + ")";
            case 5 -> expression(random, depth + 1) + " and " + expression(random, depth + 1);
            default -> expression(random, depth + 1) + " or " + expression(random, depth + 1);
        };
    }

    private static String comparison(SplittableRandom random) {
        String subject = random.nextBoolean() ? "subject.a" : "subject.b";
        return switch (random.nextInt(3)) {
            case 0 -> subject + " = \"x\"";
            case 1 -> subject + " != \"y\"";
            default -> subject + " in [\"x\", \"\\\"\"]";
        };
    }

    /** {@code valid} with a piece inserted or some characters deleted. */
    private static String mutated(SplittableRandom random, String valid) {
        int at = random.nextInt(valid.length() + 1);
        if (random.nextBoolean()) {
            return valid.substring(0, at) + PIECES[random.nextInt(PIECES.length)] + valid.substring(at);
        }
        int end = Math.min(valid.length(), at + random.nextInt(1, 4));
        return valid.substring(0, at) + valid.substring(end);
    }

    /** Pieces strung together at random. */
    private static String pieces(SplittableRandom random) {
        StringBuilder expression = new StringBuilder();
        int pieces = random.nextInt(1, 30);
        for (int j = 0; j < pieces; j++) {
            expression.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return expression.toString();
    }
}
