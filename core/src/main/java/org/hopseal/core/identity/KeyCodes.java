package org.hopseal.core.identity;

import org.hopseal.api.error.DecodeException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;

/** The one-byte codes of identity key types in identity encodings, and their public key lengths. */
final class KeyCodes {
    private KeyCodes() {
    }

    static int code(KeyType type) {
        return switch (type) {
            case ED25519 -> 0;
            case ECDSA_P256 -> 1;
            case X25519 -> 2;
            default -> throw new IllegalArgumentException(type + " has no identity encoding");
        };
    }

    static PublicKey publicKey(int code, byte[] bytes) throws DecodeException {
        KeyType type = switch (code) {
            case 0 -> KeyType.ED25519;
            case 1 -> KeyType.ECDSA_P256;
            case 2 -> KeyType.X25519;
            default -> throw new DecodeException("unknown key type code " + code);
        };
        int expected = type == KeyType.ECDSA_P256 ? 65 : 32;
        if (bytes.length != expected) {
            throw new DecodeException(type + " public keys are " + expected + " bytes, not " + bytes.length);
        }
        return new PublicKey(type, bytes);
    }
}
