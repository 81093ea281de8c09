package org.hopseal.core.log;

/**
 * Makes outside-controlled text safe to log: control characters (newlines included) become Java-style unicode
 * escapes (a backslash, {@code u} and four hex digits), and anything longer than {@value #MAX_LENGTH} characters is cut with a note of how much was left out, so
 * that a peer can neither forge log lines nor flood the log through the values it chose.
 *
 * <p>Thread safety: stateless.
 */
public final class LogText {
    /** The most characters of one outside value a log line shows. */
    public static final int MAX_LENGTH = 128;

    private LogText() {
    }

    /** {@code value}'s text, escaped and truncated. */
    public static String of(Object value) {
        String s = String.valueOf(value);
        int shown = Math.min(s.length(), MAX_LENGTH);
        StringBuilder sb = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (shown < s.length()) {
            sb.append("...(").append(s.length() - shown).append(" more)");
        }
        return sb.toString();
    }
}
