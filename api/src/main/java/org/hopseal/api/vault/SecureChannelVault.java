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
 * <h2>Thread safety</h2>
 * Implementations are thread safe. Using one AEAD key from several threads at once is allowed; the caller owns nonce
 * uniqueness.
 *
 * @since 0.1
 */
public interface SecureChannelVault extends AutoCloseable {
    Set<KeyType> agreementKeyTypes();

    Set<AeadAlgorithm> aeadAlgorithms();

    Set<HashAlgorithm> hashAlgorithms();

    /** Generates an agreement key; ephemeral keys never leave memory, persistent ones are stored if the vault can. */
    AgreementKeyHandle generateAgreementKey(KeyType type, Persistence persistence) throws VaultException;

    /** Imports an agreement private key (fixed keys of test vectors, migration). The caller wipes its copy. */
    AgreementKeyHandle importAgreementKey(KeyType type, byte[] privateKey, Persistence persistence) throws VaultException;

    PublicKey publicKey(AgreementKeyHandle key) throws VaultException;

    /** Every persistent agreement key this vault holds. */
    List<AgreementKeyHandle> agreementKeys() throws VaultException;

    /** Diffie-Hellman between {@code key} and {@code peer}; the shared secret stays in the vault. */
    SecretHandle agree(AgreementKeyHandle key, PublicKey peer) throws VaultException;

    /** Imports a secret byte string (for example a public salt). The caller wipes its copy. */
    SecretHandle importSecret(byte[] secret) throws VaultException;

    /**
     * HKDF (RFC 5869) with HMAC over {@code hash}: extract with {@code salt} as the HMAC key and {@code ikm}, then
     * expand with {@code info} into consecutive outputs of the given lengths. With empty info and outputs of
     * HASHLEN this is exactly Noise's {@code HKDF}.
     */
    List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException;

    /** HMAC of {@code data} keyed by {@code key}. */
    byte[] hmac(HashAlgorithm hash, SecretHandle key, byte[] data) throws VaultException;

    /** An AEAD key made of the first {@code algorithm.keyLength()} bytes of {@code secret}. */
    AeadKeyHandle toAeadKey(SecretHandle secret, AeadAlgorithm algorithm) throws VaultException;

    /**
     * Noise's {@code REKEY}: the first 32 bytes of encrypting 32 zero bytes with nonce 2^64-1 and empty associated
     * data, as a new key of the same algorithm.
     */
    AeadKeyHandle rekey(AeadKeyHandle key) throws VaultException;

    /** Encrypts; the result is the ciphertext followed by the 16-byte tag. */
    byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws VaultException;

    /** Decrypts ciphertext‖tag. */
    byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException;

    /**
     * Encrypts into a new array of {@code headroom} zero bytes (room for the caller's frame header) followed by the
     * ciphertext and the 16-byte tag, so that a frame is built without copying the ciphertext. The default copies;
     * vaults that can encrypt at an offset override it.
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
     */
    default byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length)
            throws VaultException, AuthenticationFailedException {
        Objects.checkFromIndexSize(offset, length, input.length);
        return aeadDecrypt(key, nonce, associatedData, Arrays.copyOfRange(input, offset, offset + length));
    }

    /**
     * One secret made of {@code parts} in order (X3DH's {@code F || DH1 || DH2 || DH3 [|| DH4]}); the parts stay.
     */
    SecretHandle concatenate(List<SecretHandle> parts) throws VaultException;

    /**
     * An XEdDSA signature (Signal's XEdDSA specification) of {@code message} by an X25519 key, as X3DH signs its
     * signed prekey; {@link Verifier#verify} checks it with the X25519 public key. Vaults without it throw
     * {@code UNSUPPORTED}.
     */
    default byte[] xeddsaSign(AgreementKeyHandle key, byte[] message) throws VaultException {
        throw new VaultException(ErrorKind.UNSUPPORTED, "this vault does not sign with X25519 keys (XEdDSA)");
    }

    /** The key encapsulation mechanisms this vault offers; none by default. */
    default Set<KemAlgorithm> kemAlgorithms() {
        return Set.of();
    }

    /**
     * Generates an ephemeral KEM key pair (for one handshake: KEM keys are never persistent). Vaults without
     * {@code algorithm} throw {@code UNSUPPORTED}.
     */
    default KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        throw unsupported(algorithm);
    }

    /**
     * Derives an ephemeral KEM key pair from {@code seed} ({@code d || z}, FIPS 203's {@code ML-KEM.KeyGen_internal}),
     * for known-answer tests and fixed-key vectors only. The caller wipes its copy.
     */
    default KemKeyHandle importKemKey(KemAlgorithm algorithm, byte[] seed) throws VaultException {
        throw unsupported(algorithm);
    }

    /** The encapsulation key of {@code key}. */
    default byte[] kemPublicKey(KemKeyHandle key) throws VaultException {
        throw unsupported(key.algorithm());
    }

    /**
     * Encapsulates a fresh shared secret to {@code publicKey}; a public key that is not a valid encoding (FIPS 203's
     * modulus check) is an {@code INVALID} error.
     */
    default Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey) throws VaultException {
        throw unsupported(algorithm);
    }

    /**
     * Encapsulates with the caller's {@code randomness} ({@code m}, FIPS 203's {@code ML-KEM.Encaps_internal}), for
     * known-answer tests and fixed-key vectors only: a real handshake never reuses randomness.
     */
    default Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        throw unsupported(algorithm);
    }

    /**
     * Decapsulates {@code ciphertext} with {@code key}. A ciphertext of the wrong length is {@code INVALID}; a
     * well-formed but wrong one gives ML-KEM's implicit-rejection secret, which matches no encapsulation.
     */
    default SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        throw unsupported(key.algorithm());
    }

    private static VaultException unsupported(KemAlgorithm algorithm) {
        return new VaultException(ErrorKind.UNSUPPORTED, "this vault offers no key encapsulation (" + algorithm + ")");
    }

    /** Deletes a key; its material is wiped and the handle gives {@code NOT_FOUND} afterwards. */
    void delete(KeyHandle key) throws VaultException;

    /**
     * The bytes of a secret, for tests and vector runners only. Vaults that cannot export (hardware) throw
     * {@code UNSUPPORTED}.
     */
    default byte[] exportSecret(SecretHandle secret, InsecureSecretAccess access) throws VaultException {
        throw new VaultException(ErrorKind.UNSUPPORTED, "this vault does not export secrets");
    }

    /** Closes the vault; key material held in memory is wiped. Handles become invalid. */
    @Override
    default void close() {
    }
}
