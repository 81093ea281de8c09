package org.hopseal.api.vault;

/**
 * The kinds of key a vault holds.
 *
 * @since 0.1
 */
public enum KeyType {
    /** Ed25519 signing key (RFC 8032, pure EdDSA); 32-byte public keys, 64-byte signatures. */
    ED25519,
    /** ECDSA over P-256 with SHA-256; 65-byte uncompressed public points, 64-byte raw r‖s signatures. */
    ECDSA_P256,
    /** X25519 key agreement key (RFC 7748); 32-byte public keys. */
    X25519,
    /** ECDH over P-256; 65-byte uncompressed public points, 32-byte shared secrets. */
    P256_ECDH;

    /** {@return whether keys of this type sign (Ed25519, ECDSA P-256) rather than agree on secrets} */
    public boolean isSigning() {
        return this == ED25519 || this == ECDSA_P256;
    }
}
