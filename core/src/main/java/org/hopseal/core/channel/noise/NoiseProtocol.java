package org.hopseal.core.channel.noise;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KemAlgorithm;

/**
 * A Noise protocol named by its standard name, e.g. {@code Noise_XX_25519_AESGCM_SHA256}: the handshake pattern,
 * DH function (25519 only), cipher (AESGCM, ChaChaPoly) and hash (SHA256, SHA512, BLAKE2s, BLAKE2b). An {@code hfs}
 * pattern names its KEM after the DH function, e.g. {@code Noise_XXhfs_25519+MLKEM768_AESGCM_SHA256}.
 *
 * @param kem the KEM of an {@code hfs} pattern, {@code null} for other patterns
 */
public record NoiseProtocol(String name, HandshakePattern pattern, KemAlgorithm kem, AeadAlgorithm cipher, HashAlgorithm hash) {
    /** Hopseal's classical secure channels. */
    public static final String XX_25519_AESGCM_SHA256 = "Noise_XX_25519_AESGCM_SHA256";
    /** Hopseal's hybrid post-quantum secure channels. */
    public static final String XXHFS_25519_MLKEM768_AESGCM_SHA256 = "Noise_XXhfs_25519+MLKEM768_AESGCM_SHA256";

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
        String[] functions = parts[2].split("\\+", -1);
        if (!functions[0].equals("25519")) {
            throw new IllegalArgumentException("unsupported DH function '" + functions[0] + "' (only 25519)");
        }
        KemAlgorithm kem = functions.length == 1 ? null : switch (functions[1]) {
            case "MLKEM768" -> KemAlgorithm.ML_KEM_768;
            default -> throw new IllegalArgumentException("unsupported KEM '" + functions[1] + "' (only MLKEM768)");
        };
        if (functions.length > 2 || (kem != null) != pattern.hasHfs()) {
            throw new IllegalArgumentException("'" + parts[2] + "' needs " + (pattern.hasHfs() ? "one KEM" : "no KEM")
                    + " for pattern " + pattern.name() + ": an hfs pattern names DH+KEM, others the DH function alone");
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
        return new NoiseProtocol(name, pattern, kem, cipher, hash);
    }

    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
