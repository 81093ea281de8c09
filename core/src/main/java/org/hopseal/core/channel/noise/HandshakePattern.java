package org.hopseal.core.channel.noise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Noise handshake pattern as data: the pre-messages of each side and the token lists of each message, the first
 * sent by the initiator and the rest alternating (Noise specification, sections 7 and 9). Patterns are written in
 * the specification's own notation and parsed, so adding one adds no code.
 *
 * @param name the pattern name with its modifiers, e.g. {@code XXpsk3}
 * @param initiatorPreMessage tokens the responder knows in advance about the initiator ({@code s}), if any
 * @param responderPreMessage tokens the initiator knows in advance about the responder
 * @param messages each message's tokens
 * @param oneWay whether every message goes from initiator to responder (N, K, X)
 */
public record HandshakePattern(String name, List<Token> initiatorPreMessage, List<Token> responderPreMessage,
        List<List<Token>> messages, boolean oneWay) {

    /** Fundamental (section 7.4, 7.5) and deferred (section 18) patterns, in the specification's notation. */
    private static final Map<String, String> PATTERNS = Map.ofEntries(
            Map.entry("N", "<- s | ... | -> e, es"),
            Map.entry("K", "-> s | <- s | ... | -> e, es, ss"),
            Map.entry("X", "<- s | ... | -> e, es, s, ss"),
            Map.entry("NN", "-> e | <- e, ee"),
            Map.entry("NK", "<- s | ... | -> e, es | <- e, ee"),
            Map.entry("NX", "-> e | <- e, ee, s, es"),
            Map.entry("XN", "-> e | <- e, ee | -> s, se"),
            Map.entry("XK", "<- s | ... | -> e, es | <- e, ee | -> s, se"),
            Map.entry("XX", "-> e | <- e, ee, s, es | -> s, se"),
            Map.entry("KN", "-> s | ... | -> e | <- e, ee, se"),
            Map.entry("KK", "-> s | <- s | ... | -> e, es, ss | <- e, ee, se"),
            Map.entry("KX", "-> s | ... | -> e | <- e, ee, se, s, es"),
            Map.entry("IN", "-> e, s | <- e, ee, se"),
            Map.entry("IK", "<- s | ... | -> e, es, s, ss | <- e, ee, se"),
            Map.entry("IX", "-> e, s | <- e, ee, se, s, es"),
            Map.entry("NK1", "<- s | ... | -> e | <- e, ee, es"),
            Map.entry("NX1", "-> e | <- e, ee, s | -> es"),
            Map.entry("X1N", "-> e | <- e, ee | -> s | <- se"),
            Map.entry("X1K", "<- s | ... | -> e, es | <- e, ee | -> s | <- se"),
            Map.entry("XK1", "<- s | ... | -> e | <- e, ee, es | -> s, se"),
            Map.entry("X1K1", "<- s | ... | -> e | <- e, ee, es | -> s | <- se"),
            Map.entry("X1X", "-> e | <- e, ee, s, es | -> s | <- se"),
            Map.entry("XX1", "-> e | <- e, ee, s | -> es, s, se"),
            Map.entry("X1X1", "-> e | <- e, ee, s | -> es, s | <- se"),
            Map.entry("K1N", "-> s | ... | -> e | <- e, ee | -> se"),
            Map.entry("K1K", "-> s | <- s | ... | -> e, es | <- e, ee | -> se"),
            Map.entry("KK1", "-> s | <- s | ... | -> e | <- e, ee, se, es"),
            Map.entry("K1K1", "-> s | <- s | ... | -> e | <- e, ee, es | -> se"),
            Map.entry("K1X", "-> s | ... | -> e | <- e, ee, s, es | -> se"),
            Map.entry("KX1", "-> s | ... | -> e | <- e, ee, se, s | -> es"),
            Map.entry("K1X1", "-> s | ... | -> e | <- e, ee, s | -> se, es"),
            Map.entry("I1N", "-> e, s | <- e, ee | -> se"),
            Map.entry("I1K", "<- s | ... | -> e, es, s | <- e, ee | -> se"),
            Map.entry("IK1", "<- s | ... | -> e, s | <- e, ee, se, es"),
            Map.entry("I1K1", "<- s | ... | -> e, s | <- e, ee, es | -> se"),
            Map.entry("I1X", "-> e, s | <- e, ee, s, es | -> se"),
            Map.entry("IX1", "-> e, s | <- e, ee, se, s | -> es"),
            Map.entry("I1X1", "-> e, s | <- e, ee, s | -> se, es"));

    public HandshakePattern {
        initiatorPreMessage = List.copyOf(initiatorPreMessage);
        responderPreMessage = List.copyOf(responderPreMessage);
        messages = messages.stream().map(List::copyOf).toList();
    }

    /**
     * The pattern named {@code name}, a base pattern followed by optional modifiers joined with {@code +}:
     * {@code pskN} (e.g. {@code NNpsk0+psk2}) or {@code hfs} (Hybrid Forward Secrecy, e.g. {@code XXhfs}); unknown
     * names and modifiers, and {@code hfs} on a one-way pattern or with psk, are {@link IllegalArgumentException}s.
     */
    public static HandshakePattern parse(String name) {
        int split = 0;
        while (split < name.length() && (Character.isUpperCase(name.charAt(split)) || Character.isDigit(name.charAt(split)))) {
            split++;
        }
        String base = name.substring(0, split);
        String notation = PATTERNS.get(base);
        if (notation == null) {
            throw new IllegalArgumentException("unsupported Noise pattern '" + base + "'");
        }
        List<Token> initPre = new ArrayList<>();
        List<Token> respPre = new ArrayList<>();
        List<List<Token>> messages = new ArrayList<>();
        String[] parts = notation.split("\\|");
        boolean pre = notation.contains("...");
        for (String part : parts) {
            String p = part.trim();
            if (p.equals("...")) {
                pre = false;
                continue;
            }
            List<Token> tokens = Arrays.stream(p.substring(2).split(",")).map(Token::parse).collect(Collectors.toCollection(ArrayList::new));
            if (pre) {
                (p.startsWith("->") ? initPre : respPre).addAll(tokens);
            } else {
                messages.add(tokens);
            }
        }
        String modifiers = name.substring(split);
        if (!modifiers.isEmpty()) {
            for (String m : modifiers.split("\\+")) {
                if (m.equals("hfs")) {
                    addHybridForwardSecrecy(base, messages);
                    continue;
                }
                if (!m.matches("psk\\d")) {
                    throw new IllegalArgumentException("unsupported Noise modifier '" + m + "'");
                }
                int n = m.charAt(3) - '0';
                if (n > messages.size()) {
                    throw new IllegalArgumentException("modifier " + m + " names a message the pattern lacks");
                }
                if (n == 0) {
                    messages.get(0).add(0, Token.PSK);
                } else {
                    messages.get(n - 1).add(Token.PSK);
                }
            }
        }
        HandshakePattern pattern = new HandshakePattern(name, initPre, respPre, messages, base.length() == 1);
        if (pattern.hasHfs() && pattern.hasPsk()) {
            throw new IllegalArgumentException("hfs together with psk is not supported: " + name);
        }
        return pattern;
    }

    /**
     * The {@code hfs} modifier: {@code e1} right after the first {@code e} (or after the DH that follows it in the
     * same message, so that the KEM key is encrypted), and {@code ekem1} right after the first {@code ee}.
     */
    private static void addHybridForwardSecrecy(String base, List<List<Token>> messages) {
        if (base.length() == 1) {
            throw new IllegalArgumentException("hfs needs an interactive pattern, not the one-way " + base);
        }
        if (messages.stream().anyMatch(m -> m.contains(Token.E1))) {
            throw new IllegalArgumentException("hfs given twice");
        }
        for (List<Token> m : messages) {
            int e = m.indexOf(Token.E);
            if (e >= 0) {
                m.add(afterFirstDhFrom(m, e + 1), Token.E1);
                break;
            }
        }
        for (List<Token> m : messages) {
            int afterEe = m.indexOf(Token.EE) + 1;
            if (afterEe > 0) {
                m.add(afterEe, Token.EKEM1);
                break;
            }
        }
    }

    /** The position just after the first DH token at or after {@code from}, or {@code from} if there is none. */
    private static int afterFirstDhFrom(List<Token> message, int from) {
        for (int i = from; i < message.size(); i++) {
            if (message.get(i).isDh()) {
                return i + 1;
            }
        }
        return from;
    }

    /** Whether the pattern has the {@code hfs} modifier's KEM tokens. */
    public boolean hasHfs() {
        return messages.stream().anyMatch(m -> m.contains(Token.E1));
    }

    /** Whether the pattern has psk tokens (and so the PSK rules of section 9 apply). */
    public boolean hasPsk() {
        return messages.stream().anyMatch(m -> m.contains(Token.PSK));
    }

    /** The number of psk tokens, i.e. of pre-shared keys needed. */
    public int pskCount() {
        return (int) messages.stream().flatMap(List::stream).filter(t -> t == Token.PSK).count();
    }
}
