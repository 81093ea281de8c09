package org.hopseal.core.channel.noise;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.HashAlgorithm;

/**
 * A Noise protocol named by its standard name, e.g. {@code Noise_XX_25519_AESGCM_SHA256}: the handshake pattern,
 * DH function (25519 only), cipher (AESGCM, ChaChaPoly) and hash (SHA256, SHA512, BLAKE2s, BLAKE2b).
 */
public record NoiseProtocol(String name, HandshakePattern pattern, AeadAlgorithm cipher, HashAlgorithm hash) {
    /** Hopseal's secure channels. */
    public static final String XX_25519_AESGCM_SHA256 = "Noise_XX_25519_AESGCM_SHA256";

    public NoiseProtocol {
        Objects.requireNonNull(name, "name");
    }

    /** Parses a protocol name; anything unsupported is an {@link IllegalArgumentException} naming the part. */
    public static NoiseProtocol parse(String name) {
        String[] parts = name.split("_");
        if (parts.length != 5 || !parts[0].equals("Noise")) {
            throw new IllegalArgumentException("not a Noise protocol name: '" + name + "'");
        }
        HandshakePattern pattern = HandshakePattern.parse(parts[1]);
        if (!parts[2].equals("25519")) {
            throw new IllegalArgumentException("unsupported DH function '" + parts[2] + "' (only 25519)");
        }
        AeadAlgorithm cipher = switch (parts[3]) {
            case "AESGCM" -> AeadAlgorithm.AES_256_GCM;
            case "ChaChaPoly" -> AeadAlgorithm.CHACHA20_POLY1305;
            default -> throw new IllegalArgumentException("unsupported cipher '" + parts[3] + "'");
        };
        HashAlgorithm hash = switch (parts[4]) {
            case "SHA256" -> HashAlgorithm.SHA256;
            case "SHA512" -> HashAlgorithm.SHA512;
            case "BLAKE2s" -> HashAlgorithm.BLAKE2S;
            case "BLAKE2b" -> HashAlgorithm.BLAKE2B;
            default -> throw new IllegalArgumentException("unsupported hash '" + parts[4] + "'");
        };
        return new NoiseProtocol(name, pattern, cipher, hash);
    }

    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
