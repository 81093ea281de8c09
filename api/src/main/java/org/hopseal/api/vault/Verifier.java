package org.hopseal.api.vault;

import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.VaultException;

/**
 * Stateless public-key operations: signature verification and hashing. Needs no secret, so any vault can offer the
 * software one.
 *
 * <h2>Security guarantees</h2>
 * {@link #verify} throws rather than returning a boolean, so a forgotten check cannot pass silently. Malformed or
 * off-curve public keys fail verification.
 *
 * <h2>Thread safety</h2>
 * Thread safe.
 *
 * @since 0.1
 */
public interface Verifier {
    /**
     * Verifies {@code signature} over {@code data}; throws {@link AuthenticationFailedException} when it is wrong.
     * Ed25519 and ECDSA P-256 keys verify their signatures; an X25519 key verifies XEdDSA signatures.
     */
    void verify(PublicKey key, byte[] data, byte[] signature) throws AuthenticationFailedException, VaultException;

    /** The hash of the concatenation of {@code parts}. */
    byte[] hash(HashAlgorithm algorithm, byte[]... parts) throws VaultException;
}
