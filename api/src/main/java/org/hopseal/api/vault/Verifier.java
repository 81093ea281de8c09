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
     *
     * @param key the signer's public key
     * @param data the whole signed message
     * @param signature the 64-byte signature (Ed25519, ECDSA raw r‖s, or XEdDSA)
     * @throws AuthenticationFailedException if the signature does not verify, or the key or signature is malformed
     *     (wrong length, off the curve, a high-S ECDSA signature)
     * @throws VaultException {@code INVALID} if {@code key} is of a type that does not sign ({@link KeyType#P256_ECDH})
     */
    void verify(PublicKey key, byte[] data, byte[] signature) throws AuthenticationFailedException, VaultException;

    /**
     * The hash of the concatenation of {@code parts}, without joining them first.
     *
     * @param algorithm the hash function
     * @param parts the input, in parts
     * @return the digest, {@code algorithm.hashLength()} bytes
     * @throws VaultException {@code UNSUPPORTED} if this verifier does not offer {@code algorithm}
     */
    byte[] hash(HashAlgorithm algorithm, byte[]... parts) throws VaultException;
}
