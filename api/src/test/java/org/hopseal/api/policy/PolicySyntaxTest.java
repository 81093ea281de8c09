package org.hopseal.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.StringJoiner;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.PolicyException;
import org.hopseal.api.identity.Identifier;
import org.junit.jupiter.api.Test;

/** What the parser refuses, where, and in what words; and each limit at the limit and one past it. */
class PolicySyntaxTest {
    private static final Identifier ALICE = new Identifier("I" + "a".repeat(64));

    private static PolicyException refused(String expression) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> Policy.parse(expression));
        assertThat(e).as("refused: %s", expression).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
        assertThat(e.getMessage()).startsWith("policy: ").contains("at position " + e.position());
        return e;
    }

    private static void assertRefused(String expression, int position, String message) {
        PolicyException e = refused(expression);
        assertThat(e.position()).as("position in %s", expression).isEqualTo(position);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    private static void assertRefusedAt(String expression, int position, String... fragments) {
        PolicyException e = refused(expression);
        assertThat(e.position()).as("position in %s", expression).isEqualTo(position);
        assertThat(e.getMessage()).contains(fragments);
    }

    private static String list(int strings) {
        StringJoiner list = new StringJoiner(", ", "subject.a in [", "]");
        for (int i = 0; i < strings; i++) {
            list.add("\"" + i + "\"");
        }
        return list.toString();
    }

    @Test
    void aMissingOperator() {
        assertRefused("subject.role web", 14,
                "policy: expected '=', '!=' or 'in' after subject.role at position 14, found 'web'");
        assertRefused("subject.role", 13,
                "policy: expected '=', '!=' or 'in' after subject.role at position 13, found the end of the expression");
        assertRefused("subject.role and true", 14,
                "policy: expected '=', '!=' or 'in' after subject.role at position 14, found 'and'");
        assertRefusedAt("subject.role == \"web\"", 15, "expected a string in double quotes after '='", "found '='");
        assertRefusedAt("subject.role <> \"web\"", 14, "found '<>'");
        assertRefusedAt("subject.role !", 14, "found '!' (write 'not')");
        assertRefusedAt("subject.role ! = \"x\"", 14, "found '!' (write 'not')");
    }

    @Test
    void aMissingOrUnquotedString() {
        assertRefused("subject.role = web", 16,
                "policy: expected a string in double quotes after '=' at position 16, found 'web'");
        assertRefused("subject.role != ", 17,
                "policy: expected a string in double quotes after '!=' at position 17, found the end of the expression");
        assertRefused("subject.role = 'web'", 16,
                "policy: expected a string in double quotes after '=' at position 16, found ''' (strings are in double quotes)");
        assertRefusedAt("subject.role = (\"web\")", 16, "found '('");
    }

    @Test
    void aMalformedList() {
        assertRefused("subject.a in \"x\"", 14, "policy: expected '[' after 'in' at position 14, found '\"x\"'");
        assertRefusedAt("subject.a in (\"x\")", 14, "expected '[' after 'in'", "found '('");
        assertRefused("subject.a in [", 15,
                "policy: expected a string in double quotes or ']' at position 15, found the end of the expression");
        assertRefusedAt("subject.a in [x]", 15, "expected a string in double quotes or ']'", "found 'x'");
        assertRefused("subject.a in [\"x\",]", 19,
                "policy: expected a string in double quotes after ',' at position 19, found ']'");
        assertRefusedAt("subject.a in [\"x\", \"y\",, \"z\"]", 24, "expected a string in double quotes after ','");
        assertRefused("subject.a in [\"x\" \"y\"]", 19, "policy: expected ',' or ']' at position 19, found '\"y\"'");
        assertRefusedAt("subject.a in [\"x\"", 18, "expected ',' or ']'", "found the end of the expression");
        assertRefusedAt("subject.a in [,]", 15, "expected a string in double quotes or ']'", "found ','");
    }

    @Test
    void aMissingOperand() {
        assertRefused("", 1,
                "policy: expected 'not', '(', 'true', 'false' or subject.NAME at position 1, found the end of the expression");
        assertRefusedAt(" \t\n ", 5, "found the end of the expression");
        assertRefusedAt("not", 4, "expected 'not', '(', 'true', 'false' or subject.NAME", "found the end");
        assertRefusedAt("true and", 9, "expected 'not', '(', 'true', 'false' or subject.NAME", "found the end");
        assertRefusedAt("true or or true", 9, "found 'or'");
        assertRefusedAt("()", 2, "found ')'");
        assertRefusedAt("web", 1, "found 'web'");
        assertRefusedAt("subject = \"x\"", 1, "found 'subject'");
        assertRefusedAt("\"web\"", 1, "found '\"web\"'");
        assertRefusedAt("role = \"web\"", 1, "found 'role'");
    }

    @Test
    void unbalancedParentheses() {
        assertRefused("(true", 6, "policy: expected 'and', 'or' or ')' at position 6, found the end of the expression");
        assertRefusedAt("(true false)", 7, "expected 'and', 'or' or ')'", "found 'false'");
        assertRefusedAt("(true]", 6, "found ']'");
        assertRefused("true)", 5,
                "policy: unexpected ')' at position 5, expected 'and', 'or' or the end of the expression");
        assertRefusedAt("(true))", 7, "unexpected ')'");
    }

    @Test
    void trailingInput() {
        assertRefused("true false", 6,
                "policy: unexpected 'false' at position 6, expected 'and', 'or' or the end of the expression");
        assertRefusedAt("subject.a = \"1\" subject.b = \"2\"", 17, "unexpected 'subject.b'");
        assertRefusedAt("true ,", 6, "unexpected ','");
        assertRefusedAt("true [", 6, "unexpected '['");
        assertRefusedAt("true = \"x\"", 6, "unexpected '='");
    }

    @Test
    void keywordsInAnotherSpellingGetAHint() {
        assertRefused("subject.a = \"1\" AND subject.b = \"2\"", 17,
                "policy: unexpected 'AND' at position 17, expected 'and', 'or' or the end of the expression"
                        + " (keywords are lower-case)");
        assertRefusedAt("true Or false", 6, "unexpected 'Or'", "(keywords are lower-case)");
        assertRefusedAt("NOT true", 1, "found 'NOT' (keywords are lower-case)");
        assertRefusedAt("TRUE", 1, "found 'TRUE' (keywords are lower-case)");
        assertRefusedAt("False", 1, "found 'False' (keywords are lower-case)");
        assertRefusedAt("subject.a IN [\"x\"]", 11, "found 'IN' (keywords are lower-case)");
        assertRefused("true && false", 6,
                "policy: unexpected '&&' at position 6, expected 'and', 'or' or the end of the expression (write 'and')");
        assertRefusedAt("true || false", 6, "unexpected '||'", "(write 'or')");
        assertRefusedAt("true &&", 6, "unexpected '&&'", "(write 'and')");
        assertRefusedAt("! true", 1, "found '!' (write 'not')");
        assertRefusedAt("!true", 1, "found '!' (write 'not')");
        assertRefused("true &(true)", 6,
                "policy: unexpected '&' at position 6, expected 'and', 'or' or the end of the expression");
        assertRefusedAt("true &[", 6, "unexpected '&' at");
        assertRefusedAt("true &\"x\"", 6, "unexpected '&' at");
        assertRefusedAt("true &!", 6, "unexpected '&' at");
        assertRefused("true &", 6, "policy: unexpected '&' at position 6, expected 'and', 'or' or the end of the expression");
        assertRefused("true xor false", 6,
                "policy: unexpected 'xor' at position 6, expected 'and', 'or' or the end of the expression");
    }

    @Test
    void aSubjectNeedsAValidName() {
        assertRefused("subject.Role = \"web\"", 9,
                "policy: expected a name of [a-z][a-z0-9_-]{0,63} after 'subject.' at position 9, found 'Role'");
        assertRefused("subject. = \"web\"", 9,
                "policy: expected a name of [a-z][a-z0-9_-]{0,63} after 'subject.' at position 9, found an empty name");
        assertRefusedAt("true and subject.1a = \"x\"", 18, "expected a name of [a-z][a-z0-9_-]{0,63}", "found '1a'");
        assertRefusedAt("subject._a = \"x\"", 9, "found '_a'");
        assertRefusedAt("subject.a.b = \"x\"", 9, "found 'a.b'");
        assertRefusedAt("subject.r\u00f4le = \"x\"", 9, "found 'r\u00f4le'");
        assertThat(refused("subject." + "a".repeat(65) + " = \"x\"").position()).isEqualTo(9);
    }

    @Test
    void malformedStrings() {
        assertRefused("subject.a = \"web", 13,
                "policy: unterminated string at position 13, expected a closing '\"' before the end of the expression");
        assertRefusedAt("subject.a in [\"web]", 15, "unterminated string");
        assertRefusedAt("subject.a = \"web\\\"", 13, "unterminated string");
        assertRefused("subject.a = \"a\\n\"", 15, "policy: expected '\\\"' or '\\\\' at position 15 in a string, found '\\n'");
        assertRefusedAt("subject.a = \"a\\'\"", 15, "found '\\''");
        assertRefusedAt("subject.a = \"a\\\u0000\"", 15, "found '\\U+0000'");
        assertRefused("subject.a = \"a\\", 15,
                "policy: expected '\\\"' or '\\\\' at position 15 in a string, found '\\' at the end of the expression");
        assertRefused("subject.a = \"a\tb\"", 15, "policy: expected a printable character at position 15 in a string,"
                + " found 'U+0009' (control characters and unpaired surrogates cannot be written in a string)");
        assertRefusedAt("subject.a = \"a\nb\"", 15, "found 'U+000A'");
        assertRefusedAt("subject.a = \"\u0000\"", 14, "found 'U+0000'");
        assertRefusedAt("subject.a = \"\u007f\"", 14, "found 'U+007F'");
        assertRefusedAt("subject.a = \"\u0085\"", 14, "found 'U+0085'");
        assertRefusedAt("subject.a = \"\\\n\"", 14, "found '\\U+000A'");
        assertRefusedAt("subject.a = \"x\uD800\"", 15, "unpaired surrogates");
        assertRefusedAt("subject.a = \"x\uDC00y\"", 15, "unpaired surrogates");
    }

    @Test
    void controlCharactersOutsideStrings() {
        assertRefused("true\r\n", 5,
                "policy: unexpected 'U+000D' at position 5, expected 'and', 'or' or the end of the expression");
        assertRefusedAt("true \u0000&", 6, "unexpected 'U+0000' at");
        assertRefusedAt("true &\u0000", 6, "unexpected '&' at");
        assertRefusedAt("\u000btrue", 1, "found 'U+000B'");
    }

    @Test
    void identifiersAreCheckedWhenParsing() {
        assertRefused("subject.identifier = \"alice\"", 22, "policy: expected an identifier ('I' and 64 lower-case hex"
                + " characters) for subject.identifier at position 22, found '\"alice\"'");
        assertRefusedAt("subject.identifier != \"I" + "A".repeat(64) + "\"", 23, "expected an identifier");
        assertRefusedAt("subject.identifier in [\"" + ALICE + "\", \"I" + "a".repeat(63) + "\"]", 93,
                "expected an identifier");
        assertRefusedAt("subject.identifier = web", 22, "expected a string in double quotes after '='");
    }

    @Test
    void positionsCountCharactersNotChars() {
        assertRefusedAt("subject.a = \"\uD83D\uDE00\" x", 17, "unexpected 'x'");
        assertRefusedAt("subject.a = \"\uD83D\uDE00\\x\"", 15, "found '\\x'");
    }

    @Test
    void longTokensAreShortenedInMessages() {
        assertRefused("true " + "x".repeat(40), 6, "policy: unexpected '" + "x".repeat(40)
                + "' at position 6, expected 'and', 'or' or the end of the expression");
        assertRefused("true " + "x".repeat(41), 6, "policy: unexpected '" + "x".repeat(40)
                + "...' at position 6, expected 'and', 'or' or the end of the expression");
        assertRefusedAt("true " + "\uD83D\uDE00".repeat(41), 6, "unexpected '" + "\uD83D\uDE00".repeat(40) + "...'");
    }

    @Test
    void theLengthLimit() throws PolicyException {
        String atLimit = "true" + " ".repeat(Policy.MAX_LENGTH - 4);
        assertThat(Policy.parse(atLimit).test(ALICE, Map.of())).isTrue();
        assertRefused(atLimit + " ", 4097,
                "policy: the expression has 4097 characters, over the limit of 4096 (at position 4097)");
        assertRefusedAt("x".repeat(1_000_000), 4097, "the expression has 1000000 characters, over the limit of 4096");

        // Counted in characters: 60 strings of 60 emoji are 3,853 characters and 7,453 chars.
        StringJoiner emoji = new StringJoiner(", ", "subject.a in [", "]");
        for (int i = 0; i < 60; i++) {
            emoji.add("\"" + "\uD83D\uDE00".repeat(60) + "\"");
        }
        assertThat(emoji.toString().length()).isGreaterThan(Policy.MAX_LENGTH);
        assertThat(Policy.parse(emoji.toString()).test(ALICE, Map.of("a", "\uD83D\uDE00".repeat(60)))).isTrue();
    }

    @Test
    void theDepthLimitForParentheses() throws PolicyException {
        String atLimit = "(".repeat(32) + "true" + ")".repeat(32);
        assertThat(Policy.parse(atLimit).test(ALICE, Map.of())).isTrue();
        assertRefused("(".repeat(33) + "true" + ")".repeat(33), 33,
                "policy: nesting depth is over the limit of 32 at position 33 (each '(' and 'not' nests)");
        assertThat(Policy.parse(atLimit + " and " + atLimit + " and " + atLimit).test(ALICE, Map.of()))
                .as("depth is per nesting, not per expression").isTrue();
        assertThat(Policy.parse("(true) and ".repeat(40) + "(false)").test(ALICE, Map.of())).isFalse();
    }

    @Test
    void theDepthLimitForNot() throws PolicyException {
        assertThat(Policy.parse("not ".repeat(32) + "true").test(ALICE, Map.of())).isTrue();
        assertThat(Policy.parse("not ".repeat(31) + "true").test(ALICE, Map.of())).isFalse();
        assertRefusedAt("not ".repeat(33) + "true", 129, "nesting depth is over the limit of 32");
        assertThat(Policy.parse("not true and ".repeat(40) + "true").test(ALICE, Map.of())).isFalse();
        assertThat(Policy.parse("not false and ".repeat(40) + "true").test(ALICE, Map.of())).isTrue();
    }

    @Test
    void theDepthLimitCountsParenthesesAndNotTogether() throws PolicyException {
        assertThat(Policy.parse("not (".repeat(16) + "true" + ")".repeat(16)).test(ALICE, Map.of())).isTrue();
        assertRefusedAt("not (".repeat(16) + "not true" + ")".repeat(16), 81, "nesting depth");
        assertRefusedAt("(not ".repeat(16) + "(true)" + ")".repeat(16), 81, "nesting depth");
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        assertRefusedAt("(".repeat(10_000), 4097, "over the limit of 4096");
        assertRefusedAt("(".repeat(4096), 33, "nesting depth is over the limit of 32");
        assertRefusedAt("not ".repeat(1024), 129, "nesting depth is over the limit of 32");
        assertRefusedAt("not (".repeat(819), 81, "nesting depth is over the limit of 32");
    }

    @Test
    void theListLimit() throws PolicyException {
        Policy atLimit = Policy.parse(list(Policy.MAX_LIST));
        assertThat(atLimit.test(ALICE, Map.of("a", "255"))).isTrue();
        assertThat(atLimit.test(ALICE, Map.of("a", "256"))).isFalse();
        String onePast = list(Policy.MAX_LIST + 1);
        assertRefused(onePast, onePast.lastIndexOf('"', onePast.length() - 3) + 1,
                "policy: an 'in' list is over the limit of 256 strings at position "
                        + (onePast.lastIndexOf('"', onePast.length() - 3) + 1));
    }

    @Test
    void theStringLimit() throws PolicyException {
        String ascii = "x".repeat(Policy.MAX_STRING_BYTES);
        assertThat(Policy.parse("subject.a = \"" + ascii + "\"").test(ALICE, Map.of("a", ascii))).isTrue();
        assertRefused("subject.a = \"" + ascii + "x\"", 13,
                "policy: string at position 13 is over the limit of 256 UTF-8 bytes");

        String twoByte = "\u00e9".repeat(128);
        assertThat(Policy.parse("subject.a = \"" + twoByte + "\"").test(ALICE, Map.of("a", twoByte))).isTrue();
        assertRefusedAt("subject.a = \"" + twoByte + "x\"", 13, "over the limit of 256 UTF-8 bytes");

        String threeByte = "\u20ac".repeat(85) + "x";
        assertThat(Policy.parse("subject.a = \"" + threeByte + "\"").test(ALICE, Map.of("a", threeByte))).isTrue();
        assertRefusedAt("subject.a = \"" + threeByte + "x\"", 13, "over the limit of 256 UTF-8 bytes");

        String fourByte = "\uD83D\uDE00".repeat(64);
        assertThat(Policy.parse("subject.a = \"" + fourByte + "\"").test(ALICE, Map.of("a", fourByte))).isTrue();
        assertRefusedAt("subject.a in [\"x\", \"" + fourByte + "x\"]", 20, "over the limit of 256 UTF-8 bytes");

        String escaped = "\\\"".repeat(Policy.MAX_STRING_BYTES);
        assertThat(Policy.parse("subject.a = \"" + escaped + "\"").test(ALICE, Map.of("a", "\"".repeat(256))))
                .as("counted after decoding").isTrue();
        assertRefusedAt("subject.a = \"" + escaped + "\\\\\"", 13, "over the limit of 256 UTF-8 bytes");
    }

    @Test
    void theNameLimit() throws PolicyException {
        String longest = "a" + "b".repeat(63);
        assertThat(Policy.parse("subject." + longest + " = \"x\"").test(ALICE, Map.of(longest, "x"))).isTrue();
        assertRefusedAt("subject." + longest + "b = \"x\"", 9, "expected a name of [a-z][a-z0-9_-]{0,63}");
    }
}
