package org.hopseal.api.identity;

/**
 * Whether a Noise XX channel adds ML-KEM-768 to its X25519 key agreement
 * ({@code Noise_XXhfs_25519+MLKEM768_AESGCM_SHA256}, see {@code docs/post-quantum.md}), so that traffic recorded today
 * stays secret even if X25519 is broken later.
 *
 * @since 0.2
 */
public enum PostQuantum {
    /** Classical only: a listener refuses hybrid handshakes, an initiator offers classical. */
    OFF,
    /**
     * Hybrid where both ends can, classical otherwise (the default): a listener accepts both; an initiator offers
     * hybrid when its vault has ML-KEM and falls back to classical when the listener refuses hybrid. An active attacker
     * can forge that refusal, so this protects against recording, not against an attacker on the path today.
     */
    PREFERRED,
    /**
     * Hybrid only: a listener refuses classical handshakes, an initiator never falls back. No downgrade is possible.
     * X3DH, which has no hybrid form, cannot be combined with it.
     */
    REQUIRED
}
