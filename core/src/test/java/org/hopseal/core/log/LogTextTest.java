package org.hopseal.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void plainTextIsUnchanged() {
        assertThat(LogText.of("hello, world: 1#10.0.0.7:4000 é ü 日本")).isEqualTo("hello, world: 1#10.0.0.7:4000 é ü 日本");
        assertThat(LogText.of("")).isEmpty();
    }

    @Test
    void controlCharactersAndLineSeparatorsAreEscaped() {
        assertThat(LogText.of("a\nb")).isEqualTo("a\\u000ab");
        assertThat(LogText.of("a\rb")).isEqualTo("a\\u000db");
        assertThat(LogText.of("a\u0000b")).isEqualTo("a\\u0000b");
        assertThat(LogText.of("a\tb")).isEqualTo("a\\u0009b");
        assertThat(LogText.of("a\u001bb")).isEqualTo("a\\u001bb");
        assertThat(LogText.of("a\u007fb")).isEqualTo("a\\u007fb");
        assertThat(LogText.of("a\u0085b")).isEqualTo("a\\u0085b");
        assertThat(LogText.of("a\u2028b")).isEqualTo("a\\u2028b");
        assertThat(LogText.of("a\u2029b")).isEqualTo("a\\u2029b");
        assertThat(LogText.of("\r\n")).isEqualTo("\\u000d\\u000a");
    }

    @Test
    void neighboursOfTheEscapedRangesAreKept() {
        assertThat(LogText.of(" ~\u00a0\u2027\u202a")).isEqualTo(" ~\u00a0\u2027\u202a");
    }

    @Test
    void aForgedLogLineStaysOnOneLine() {
        String forged = "bob\n2024-01-01 WARN admin logged in";
        assertThat(LogText.of(forged)).doesNotContain("\n").isEqualTo("bob\\u000a2024-01-01 WARN admin logged in");
    }

    @Test
    void textUpToMaxLengthIsShownWhole() {
        assertThat(LogText.MAX_LENGTH).isEqualTo(128);
        String exact = "x".repeat(LogText.MAX_LENGTH);
        assertThat(LogText.of(exact)).isEqualTo(exact);
    }

    @Test
    void longerTextIsCutWithANoteOfWhatWasLeftOut() {
        String shown = "x".repeat(LogText.MAX_LENGTH);
        assertThat(LogText.of(shown + "y")).isEqualTo(shown + "...(1 more)");
        assertThat(LogText.of(shown + "y".repeat(172))).isEqualTo(shown + "...(172 more)");
    }

    @Test
    void truncationCountsCharactersBeforeEscaping() {
        String newlines = "\n".repeat(LogText.MAX_LENGTH);
        assertThat(LogText.of(newlines)).isEqualTo("\\u000a".repeat(LogText.MAX_LENGTH));
        assertThat(LogText.of(newlines + "\n\n")).isEqualTo("\\u000a".repeat(LogText.MAX_LENGTH) + "...(2 more)");
    }

    @Test
    void anyObjectIsShownByItsStringForm() {
        assertThat(LogText.of(null)).isEqualTo("null");
        assertThat(LogText.of(42)).isEqualTo("42");
        Object evil = new Object() {
            @Override
            public String toString() {
                return "line1\nline2";
            }
        };
        assertThat(LogText.of(evil)).isEqualTo("line1\\u000aline2");
    }
}
