package org.hopseal.core.channel.noise;

import java.util.Arrays;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.SecureChannelVault;

/**
 * Noise's CipherState (specification section 5.1): a key {@code k} (a vault handle, or none) and a nonce {@code n}.
 * The nonce is formatted as the cipher requires: 32 zero bits then 64 bits, big-endian for AESGCM and little-endian
 * for ChaChaPoly. Nonce 2^64-1 is reserved for {@link #rekey()}.
 *
 * <p>Thread safety: not thread safe; each direction of a channel owns one.
 */
public final class CipherState {
    /** The largest nonce a message may use; 2^64-1 is reserved. */
    static final long MAX_NONCE = -2L; // 2^64 - 2 as an unsigned long

    private static final byte[] NO_HEAD = new byte[0];

    private final SecureChannelVault vault;
    private final AeadAlgorithm cipher;
    private AeadKeyHandle k;
    private long n;

    CipherState(SecureChannelVault vault, AeadAlgorithm cipher) {
        this.vault = vault;
        this.cipher = cipher;
    }

    /** A CipherState that owns {@code key}, nonce 0 (for channels keyed by another agreement, such as X3DH). */
    public static CipherState withKey(SecureChannelVault vault, AeadAlgorithm cipher, AeadKeyHandle key) throws VaultException {
        CipherState c = new CipherState(vault, cipher);
        c.initializeKey(key);
        return c;
    }

    /** {@code InitializeKey(key)}: takes ownership of {@code key} (deleting the previous one) and resets n to 0. */
    void initializeKey(AeadKeyHandle key) throws VaultException {
        destroy();
        this.k = key;
        this.n = 0;
    }

    public boolean hasKey() {
        return k != null;
    }

    /** The nonce the next message will use (as an unsigned 64-bit number). */
    public long nonce() {
        return n;
    }

    /** {@code SetNonce(nonce)}: for channels that carry an explicit nonce on the wire. */
    public void setNonce(long nonce) {
        this.n = nonce;
    }

    /** {@code EncryptWithAd(ad, plaintext)}; without a key the plaintext is returned as it is. */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws HandshakeException, VaultException {
        if (k == null) {
            return plaintext;
        }
        checkNonce();
        byte[] out = vault.aeadEncrypt(k, nonceBytes(cipher, n), ad, plaintext);
        n++;
        return out;
    }

    /**
     * {@code EncryptWithAd(ad, plaintext)} into an array that starts with {@code headroom} free bytes for a frame
     * header; with no key, the plaintext after the headroom.
     */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext, int headroom) throws HandshakeException, VaultException {
        return encryptWithAd(ad, NO_HEAD, plaintext, 0, plaintext.length, headroom);
    }

    /**
     * {@code EncryptWithAd(ad, head ‖ body[offset, offset + length))} into an array that starts with
     * {@code headroom} free bytes, reading the body where it lies (a message's payload, which the caller does not
     * own); with no key, the plaintext after the headroom.
     */
    public byte[] encryptWithAd(byte[] ad, byte[] head, byte[] body, int offset, int length, int headroom)
            throws HandshakeException, VaultException {
        if (k == null) {
            byte[] out = new byte[headroom + head.length + length];
            System.arraycopy(head, 0, out, headroom, head.length);
            System.arraycopy(body, offset, out, headroom + head.length, length);
            return out;
        }
        checkNonce();
        byte[] out = vault.aeadEncrypt(k, nonceBytes(cipher, n), ad, head, body, offset, length, headroom);
        n++;
        return out;
    }

    /** {@code DecryptWithAd(ad, ciphertext)} of the {@code length} bytes at {@code offset} of {@code input}. */
    public byte[] decryptWithAd(byte[] ad, byte[] input, int offset, int length)
            throws HandshakeException, VaultException, AuthenticationFailedException {
        if (k == null) {
            return Arrays.copyOfRange(input, offset, offset + length);
        }
        checkNonce();
        byte[] out = vault.aeadDecrypt(k, nonceBytes(cipher, n), ad, input, offset, length);
        n++;
        return out;
    }

    /** {@code DecryptWithAd(ad, ciphertext)}; the nonce advances only when decryption succeeds. */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext)
            throws HandshakeException, VaultException, AuthenticationFailedException {
        if (k == null) {
            return ciphertext;
        }
        checkNonce();
        byte[] out = vault.aeadDecrypt(k, nonceBytes(cipher, n), ad, ciphertext);
        n++;
        return out;
    }

    /** {@code Rekey()}: replaces k with REKEY(k); the nonce is unchanged. */
    public void rekey() throws VaultException {
        AeadKeyHandle old = k;
        k = vault.rekey(old);
        vault.delete(old);
    }

    /** A new CipherState whose key is {@code REKEY(k)} and whose nonce is 0; this one is unchanged. */
    public CipherState successor() throws VaultException {
        CipherState next = new CipherState(vault, cipher);
        next.initializeKey(vault.rekey(k));
        return next;
    }

    private void checkNonce() throws HandshakeException {
        if (Long.compareUnsigned(n, MAX_NONCE) > 0) {
            throw new HandshakeException(ErrorKind.PROTOCOL, "nonce space exhausted; the channel must be rekeyed or reopened");
        }
    }

    static byte[] nonceBytes(AeadAlgorithm cipher, long n) {
        byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
        for (int i = 0; i < 8; i++) {
            int shift = cipher == AeadAlgorithm.CHACHA20_POLY1305 ? 8 * i : 8 * (7 - i);
            nonce[4 + i] = (byte) (n >>> shift);
        }
        return nonce;
    }

    /** Deletes the key from the vault. */
    public void destroy() throws VaultException {
        if (k != null) {
            AeadKeyHandle old = k;
            k = null;
            vault.delete(old);
        }
    }

    @Override
    public String toString() {
        return "CipherState{" + cipher + ", key=" + (k == null ? "none" : "<redacted>") + ", n=" + Long.toUnsignedString(n) + "}";
    }
}
