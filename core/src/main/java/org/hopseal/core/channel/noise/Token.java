package org.hopseal.core.channel.noise;

/** The tokens of a Noise message pattern (Noise specification, section 7). */
enum Token {
    E, S, EE, ES, SE, SS, PSK;

    static Token parse(String t) {
        return switch (t.trim()) {
            case "e" -> E;
            case "s" -> S;
            case "ee" -> EE;
            case "es" -> ES;
            case "se" -> SE;
            case "ss" -> SS;
            case "psk" -> PSK;
            default -> throw new IllegalArgumentException("unknown Noise token '" + t + "'");
        };
    }
}
