package org.hopseal.core.channel.noise;

/**
 * The tokens of a Noise message pattern (Noise specification, section 7), and the KEM tokens {@code e1} and
 * {@code ekem1} of the Hybrid Forward Secrecy extension.
 */
enum Token {
    E, S, EE, ES, SE, SS, PSK, E1, EKEM1;

    /** Whether this is a DH token. */
    boolean isDh() {
        return this == EE || this == ES || this == SE || this == SS;
    }

    static Token parse(String t) {
        return switch (t.trim()) {
            case "e" -> E;
            case "s" -> S;
            case "ee" -> EE;
            case "es" -> ES;
            case "se" -> SE;
            case "ss" -> SS;
            case "psk" -> PSK;
            case "e1" -> E1;
            case "ekem1" -> EKEM1;
            default -> throw new IllegalArgumentException("unknown Noise token '" + t + "'");
        };
    }
}
