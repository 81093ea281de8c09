package org.hopseal.api.vault;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;

/**
 * The operations a secure-channel handshake and the channel itself need, all on handles: key agreement into a
 * secret, HKDF from secrets into secrets, secrets into AEAD keys, AEAD with those keys.
 *
 * <h2>Security guarantees</h2>
 * Private keys, Diffie-Hellman outputs, HKDF outputs and AEAD keys stay inside the vault; the only way out is
 * {@link #exportSecret}, which needs an {@link InsecureSecretAccess} token and which hardware vaults refuse.
 * Agreement with a low-order X25519 point (an all-zero shared secret) is rejected. A failed decryption throws
 * {@link AuthenticationFailedException}, which carries no detail. Unsupported algorithms are {@code UNSUPPORTED}
 * errors.
 *
 * <h2>Errors</h2>
 * Every other failure is a {@link VaultException}; its kind says why. Common to all operations on a handle:
 * {@code NOT_FOUND} for a key or secret that was deleted or that this vault never issued, {@code INVALID} for a
 * handle of another kind (a KEM key where a secret is needed, say). Common to all operations: {@code SHUTDOWN} once
 * the vault is closed, {@code UNAVAILABLE} when its storage or token cannot be reached. The {@code @throws} clauses
 * below name what each operation adds.
 *
 * <h2>Thread safety</h2>
 * Implementations are thread safe. Using one AEAD key from several threads at once is allowed; the caller owns nonce
 * uniqueness.
 *
 * @since 0.1
 */
public interface SecureChannelVault extends AutoCloseable {
    /** {@return the key agreement types this vault can generate, import and agree with} */
    Set<KeyType> agreementKeyTypes();

    /** {@return the AEAD algorithms this vault can make keys for and encrypt with} */
    Set<AeadAlgorithm> aeadAlgorithms();

    /** {@return the hash algorithms this vault's HKDF and HMAC take} */
    Set<HashAlgorithm> hashAlgorithms();

    /**
     * Generates an agreement key; ephemeral keys never leave memory, persistent ones are stored if the vault can.
     *
     * @param type a type in {@link #agreementKeyTypes()}
     * @param persistence whether the key outlives the vault session
     * @return the new key's handle
     * @throws VaultException {@code UNSUPPORTED} if this vault does not have {@code type}
     */
    AgreementKeyHandle generateAgreementKey(KeyType type, Persistence persistence) throws VaultException;

    /**
     * Imports an agreement private key (fixed keys of test vectors, migration). The caller wipes its copy.
     *
     * @param type a type in {@link #agreementKeyTypes()}
     * @param privateKey the private key: 32 bytes (an X25519 scalar, or a P-256 scalar big-endian)
     * @param persistence whether the key outlives the vault session
     * @return the new key's handle
     * @throws VaultException {@code UNSUPPORTED} if this vault does not have {@code type}, {@code INVALID} if the
     *     private key is not a valid key of {@code type}
     */
    AgreementKeyHandle importAgreementKey(KeyType type, byte[] privateKey, Persistence persistence) throws VaultException;

    /**
     * The public part of an agreement key, to send to the peer.
     *
     * @param key the key
     * @return its public key, of the key's type
     * @throws VaultException {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    PublicKey publicKey(AgreementKeyHandle key) throws VaultException;

    /**
     * {@return every persistent agreement key this vault holds (an identity's channel key among them)}
     *
     * @throws VaultException a failure common to all operations
     */
    List<AgreementKeyHandle> agreementKeys() throws VaultException;

    /**
     * Diffie-Hellman between {@code key} and {@code peer}; the shared secret stays in the vault.
     *
     * @param key this side's private key
     * @param peer the peer's public key, of the same type
     * @return the shared secret: 32 bytes for both X25519 and P-256
     * @throws VaultException {@code INVALID} if {@code peer} is of another type, malformed, off the curve, or an
     *     X25519 point of low order (the all-zero secret); or {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    SecretHandle agree(AgreementKeyHandle key, PublicKey peer) throws VaultException;

    /**
     * Imports a secret byte string (for example a public salt). The caller wipes its copy.
     *
     * @param secret the bytes, of any length (an empty salt included)
     * @return the secret's handle
     * @throws VaultException a failure common to all operations
     */
    SecretHandle importSecret(byte[] secret) throws VaultException;

    /**
     * HKDF (RFC 5869) with HMAC over {@code hash}: extract with {@code salt} as the HMAC key and {@code ikm}, then
     * expand with {@code info} into consecutive outputs of the given lengths. With empty info and outputs of
     * HASHLEN this is exactly Noise's {@code HKDF}.
     *
     * @param hash the hash of the HMAC, one of {@link #hashAlgorithms()}
     * @param salt the extract step's HMAC key (Noise's chaining key)
     * @param ikm the input keying material
     * @param info the expand step's context; may be empty
     * @param lengths the length in bytes of each output, all positive, together at most 255 times the hash length
     * @return one secret per length, in order
     * @throws VaultException {@code INVALID} if a length is not positive or the total is over the limit; or
     *     {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException;

    /**
     * HMAC (RFC 2104) of {@code data} keyed by {@code key}. The result is not secret: it leaves the vault.
     *
     * @param hash the hash of the HMAC, one of {@link #hashAlgorithms()}
     * @param key the HMAC key
     * @param data what to authenticate
     * @return the tag, {@code hash.hashLength()} bytes
     * @throws VaultException {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    byte[] hmac(HashAlgorithm hash, SecretHandle key, byte[] data) throws VaultException;

    /**
     * An AEAD key made of the first {@code algorithm.keyLength()} bytes of {@code secret}; the secret stays.
     *
     * @param secret the secret, at least {@code algorithm.keyLength()} bytes
     * @param algorithm one of {@link #aeadAlgorithms()}
     * @return the key's handle
     * @throws VaultException {@code INVALID} if the secret is too short, {@code UNSUPPORTED} if the algorithm is not
     *     offered; or {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    AeadKeyHandle toAeadKey(SecretHandle secret, AeadAlgorithm algorithm) throws VaultException;

    /**
     * Noise's {@code REKEY}: the first 32 bytes of encrypting 32 zero bytes with nonce 2^64-1 and empty associated
     * data, as a new key of the same algorithm. The old key stays until deleted.
     *
     * @param key the key to derive from
     * @return the new key's handle
     * @throws VaultException {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    AeadKeyHandle rekey(AeadKeyHandle key) throws VaultException;

    /**
     * Encrypts; the result is the ciphertext followed by the 16-byte tag. Each encryption under one key needs a nonce
     * of its own: a vault may refuse a repeated nonce ({@code INVALID}) but need not, since the caller owns nonce
     * uniqueness.
     *
     * @param key the AEAD key
     * @param nonce {@value AeadAlgorithm#NONCE_LENGTH} bytes, never used before with this key
     * @param associatedData authenticated but not encrypted; may be empty
     * @param plaintext what to encrypt
     * @return the ciphertext and the tag, {@code plaintext.length + }{@value AeadAlgorithm#TAG_LENGTH} bytes
     * @throws VaultException {@code INVALID} if the nonce is not {@value AeadAlgorithm#NONCE_LENGTH} bytes; or
     *     {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws VaultException;

    /**
     * Decrypts ciphertext‖tag.
     *
     * @param key the AEAD key
     * @param nonce the nonce it was encrypted with
     * @param associatedData the associated data it was encrypted with
     * @param ciphertext the ciphertext followed by the tag
     * @return the plaintext
     * @throws AuthenticationFailedException if the tag does not verify (a wrong key, nonce or associated data, a
     *     changed or truncated ciphertext); it says nothing more
     * @throws VaultException {@code INVALID} if the nonce is not {@value AeadAlgorithm#NONCE_LENGTH} bytes; or
     *     {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException;

    /**
     * Encrypts into a new array of {@code headroom} zero bytes (room for the caller's frame header) followed by the
     * ciphertext and the 16-byte tag, so that a frame is built without copying the ciphertext. The default copies;
     * vaults that can encrypt at an offset override it.
     *
     * @param key the AEAD key
     * @param nonce {@value AeadAlgorithm#NONCE_LENGTH} bytes, never used before with this key
     * @param associatedData authenticated but not encrypted; may be empty
     * @param plaintext what to encrypt
     * @param headroom how many zero bytes come before the ciphertext, 0 or more
     * @return {@code headroom} zero bytes, the ciphertext and the tag
     * @throws VaultException as {@link #aeadEncrypt(AeadKeyHandle, byte[], byte[], byte[])} does
     */
    default byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext, int headroom)
            throws VaultException {
        byte[] ciphertext = aeadEncrypt(key, nonce, associatedData, plaintext);
        byte[] out = new byte[headroom + ciphertext.length];
        System.arraycopy(ciphertext, 0, out, headroom, ciphertext.length);
        return out;
    }

    /**
     * Encrypts the plaintext {@code head} followed by the {@code bodyLength} bytes of {@code body} from
     * {@code bodyOffset}, as {@link #aeadEncrypt(AeadKeyHandle, byte[], byte[], byte[], int)} encrypts the two
     * joined: for a caller whose message is a small header before a body it does not own (a payload, or a part of
     * one). The default joins them; vaults whose cipher takes input in parts override it, so that the body is read
     * where it lies and never copied.
     *
     * @param key the AEAD key
     * @param nonce {@value AeadAlgorithm#NONCE_LENGTH} bytes, never used before with this key
     * @param associatedData authenticated but not encrypted; may be empty
     * @param head the first part of the plaintext
     * @param body holds the second part of the plaintext
     * @param bodyOffset where in {@code body} the second part starts
     * @param bodyLength the second part's length
     * @param headroom how many zero bytes come before the ciphertext, 0 or more
     * @return {@code headroom} zero bytes, the ciphertext of head and body part, and the tag
     * @throws VaultException as {@link #aeadEncrypt(AeadKeyHandle, byte[], byte[], byte[])} does
     * @throws IndexOutOfBoundsException if the body part lies outside {@code body}
     */
    default byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] head, byte[] body,
            int bodyOffset, int bodyLength, int headroom) throws VaultException {
        Objects.checkFromIndexSize(bodyOffset, bodyLength, body.length);
        byte[] plaintext = Arrays.copyOf(head, head.length + bodyLength);
        System.arraycopy(body, bodyOffset, plaintext, head.length, bodyLength);
        return aeadEncrypt(key, nonce, associatedData, plaintext, headroom);
    }

    /**
     * Decrypts the {@code length} bytes of ciphertext‖tag at {@code offset} of {@code input} (a frame, say), so that
     * the caller need not copy them out first. The default copies; vaults that can decrypt a range override it.
     *
     * @param key the AEAD key
     * @param nonce the nonce it was encrypted with
     * @param associatedData the associated data it was encrypted with
     * @param input holds the ciphertext followed by the tag
     * @param offset where in {@code input} the ciphertext starts
     * @param length the length of ciphertext and tag together
     * @return the plaintext
     * @throws AuthenticationFailedException as {@link #aeadDecrypt(AeadKeyHandle, byte[], byte[], byte[])} does
     * @throws VaultException as {@link #aeadDecrypt(AeadKeyHandle, byte[], byte[], byte[])} does
     * @throws IndexOutOfBoundsException if the range lies outside {@code input}
     */
    default byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length)
            throws VaultException, AuthenticationFailedException {
        Objects.checkFromIndexSize(offset, length, input.length);
        return aeadDecrypt(key, nonce, associatedData, Arrays.copyOfRange(input, offset, offset + length));
    }

    /**
     * One secret made of {@code parts} in order (X3DH's {@code F || DH1 || DH2 || DH3 [|| DH4]}); the parts stay.
     *
     * @param parts the secrets to join, in order
     * @return the joined secret, as long as the parts together
     * @throws VaultException {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use (any of the parts)
     */
    SecretHandle concatenate(List<SecretHandle> parts) throws VaultException;

    /**
     * An XEdDSA signature (Signal's XEdDSA specification) of {@code message} by an X25519 key, as X3DH signs its
     * signed prekey; {@link Verifier#verify} checks it with the X25519 public key. Vaults without it throw
     * {@code UNSUPPORTED}.
     *
     * @param key an X25519 key
     * @param message the whole message
     * @return the 64-byte signature
     * @throws VaultException {@code UNSUPPORTED} if this vault does not sign with X25519 keys; {@code INVALID} if
     *     {@code key} is not an X25519 key; or {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    default byte[] xeddsaSign(AgreementKeyHandle key, byte[] message) throws VaultException {
        throw new VaultException(ErrorKind.UNSUPPORTED, "this vault does not sign with X25519 keys (XEdDSA)");
    }

    /** {@return the key encapsulation mechanisms this vault offers; none by default} */
    default Set<KemAlgorithm> kemAlgorithms() {
        return Set.of();
    }

    /**
     * Generates an ephemeral KEM key pair (for one handshake: KEM keys are never persistent). Vaults without
     * {@code algorithm} throw {@code UNSUPPORTED}.
     *
     * @param algorithm one of {@link #kemAlgorithms()}
     * @return the new decapsulation key's handle
     * @throws VaultException {@code UNSUPPORTED} if this vault does not offer {@code algorithm}
     */
    default KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        throw unsupported(algorithm);
    }

    /**
     * Derives an ephemeral KEM key pair from {@code seed} ({@code d || z}, FIPS 203's {@code ML-KEM.KeyGen_internal}),
     * for known-answer tests and fixed-key vectors only. The caller wipes its copy.
     *
     * @param algorithm one of {@link #kemAlgorithms()}
     * @param seed {@link KemAlgorithm#seedLength()} bytes
     * @return the key's handle
     * @throws VaultException {@code UNSUPPORTED} if this vault does not offer {@code algorithm}, {@code INVALID} if
     *     the seed is not {@link KemAlgorithm#seedLength()} bytes
     */
    default KemKeyHandle importKemKey(KemAlgorithm algorithm, byte[] seed) throws VaultException {
        throw unsupported(algorithm);
    }

    /**
     * The encapsulation key of {@code key}, to send to whoever encapsulates to it.
     *
     * @param key the decapsulation key
     * @return its encapsulation key, {@link KemAlgorithm#publicKeyLength()} bytes
     * @throws VaultException {@code UNSUPPORTED} if this vault offers no KEM; or {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    default byte[] kemPublicKey(KemKeyHandle key) throws VaultException {
        throw unsupported(key.algorithm());
    }

    /**
     * Encapsulates a fresh shared secret to {@code publicKey}; a public key that is not a valid encoding (FIPS 203's
     * modulus check) is an {@code INVALID} error.
     *
     * @param algorithm one of {@link #kemAlgorithms()}
     * @param publicKey the peer's encapsulation key, {@link KemAlgorithm#publicKeyLength()} bytes
     * @return the ciphertext to send and the shared secret, which stays in the vault
     * @throws VaultException {@code UNSUPPORTED} if this vault does not offer {@code algorithm}, {@code INVALID} if
     *     the public key has the wrong length or fails the modulus check
     */
    default Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey) throws VaultException {
        throw unsupported(algorithm);
    }

    /**
     * Encapsulates with the caller's {@code randomness} ({@code m}, FIPS 203's {@code ML-KEM.Encaps_internal}), for
     * known-answer tests and fixed-key vectors only: a real handshake never reuses randomness.
     *
     * @param algorithm one of {@link #kemAlgorithms()}
     * @param publicKey the peer's encapsulation key, {@link KemAlgorithm#publicKeyLength()} bytes
     * @param randomness {@code m}, 32 bytes
     * @return the ciphertext and the shared secret
     * @throws VaultException as {@link #encapsulate(KemAlgorithm, byte[])} does, and {@code INVALID} if the
     *     randomness is not 32 bytes
     */
    default Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        throw unsupported(algorithm);
    }

    /**
     * Decapsulates {@code ciphertext} with {@code key}. A ciphertext of the wrong length is {@code INVALID}; a
     * well-formed but wrong one gives ML-KEM's implicit-rejection secret, which matches no encapsulation.
     *
     * @param key the decapsulation key
     * @param ciphertext the peer's ciphertext, {@link KemAlgorithm#ciphertextLength()} bytes
     * @return the shared secret, which stays in the vault
     * @throws VaultException {@code INVALID} if the ciphertext has the wrong length, {@code UNSUPPORTED} if this
     *     vault offers no KEM; or {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    default SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        throw unsupported(key.algorithm());
    }

    private static VaultException unsupported(KemAlgorithm algorithm) {
        return new VaultException(ErrorKind.UNSUPPORTED, "this vault offers no key encapsulation (" + algorithm + ")");
    }

    /**
     * Deletes a key or secret; its material is wiped and the handle gives {@code NOT_FOUND} afterwards.
     *
     * @param key the key or secret
     * @throws VaultException {@code NOT_FOUND} if it was deleted already or this vault never issued it
     */
    void delete(KeyHandle key) throws VaultException;

    /**
     * The bytes of a secret, for tests and vector runners only. Vaults that cannot export (hardware) throw
     * {@code UNSUPPORTED}.
     *
     * @param secret the secret
     * @param access the token that marks this call as a place where secret bytes leave the vault
     * @return a copy of the secret's bytes; the caller wipes it
     * @throws VaultException {@code UNSUPPORTED} if this vault does not export secrets; or {@code NOT_FOUND} or {@code INVALID} for a handle this vault cannot use
     */
    default byte[] exportSecret(SecretHandle secret, InsecureSecretAccess access) throws VaultException {
        throw new VaultException(ErrorKind.UNSUPPORTED, "this vault does not export secrets");
    }

    /** Closes the vault; key material held in memory is wiped. Handles become invalid. */
    @Override
    default void close() {
    }
}
