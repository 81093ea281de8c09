package org.hopseal.vault.file;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;

/**
 * A secure-channel vault that hands every operation to a real one and keeps a copy of each secret a handshake
 * derives, read out through the vault's own export ({@link InsecureSecretAccess}), so that a test can search logs
 * for them. Noise's handshake secrets are its Diffie-Hellman outputs, its KEM shared secrets (both the encapsulating
 * and the decapsulating side's) and what HKDF derives from them (the chaining keys and the handshake's cipher keys); its session keys are what HKDF derives with empty input key material (Noise's
 * {@code Split}), which become the channel's two AEAD keys.
 */
final class RecordingChannelVault implements SecureChannelVault {
    /** What a recorded secret is. */
    enum Kind { HANDSHAKE, SESSION }

    private final SecureChannelVault real;
    private final Map<Kind, List<byte[]>> recorded = new ConcurrentHashMap<>();

    RecordingChannelVault(SecureChannelVault real) {
        this.real = real;
    }

    /** The secrets of {@code kind} derived so far. */
    List<byte[]> recorded(Kind kind) {
        return List.copyOf(recorded.getOrDefault(kind, List.of()));
    }

    private SecretHandle record(Kind kind, SecretHandle secret) throws VaultException {
        recorded.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(real.exportSecret(secret, InsecureSecretAccess.get()));
        return secret;
    }

    @Override
    public Set<KeyType> agreementKeyTypes() {
        return real.agreementKeyTypes();
    }

    @Override
    public Set<AeadAlgorithm> aeadAlgorithms() {
        return real.aeadAlgorithms();
    }

    @Override
    public Set<HashAlgorithm> hashAlgorithms() {
        return real.hashAlgorithms();
    }

    @Override
    public AgreementKeyHandle generateAgreementKey(KeyType type, Persistence persistence) throws VaultException {
        return real.generateAgreementKey(type, persistence);
    }

    @Override
    public AgreementKeyHandle importAgreementKey(KeyType type, byte[] privateKey, Persistence persistence) throws VaultException {
        return real.importAgreementKey(type, privateKey, persistence);
    }

    @Override
    public PublicKey publicKey(AgreementKeyHandle key) throws VaultException {
        return real.publicKey(key);
    }

    @Override
    public List<AgreementKeyHandle> agreementKeys() throws VaultException {
        return real.agreementKeys();
    }

    @Override
    public SecretHandle agree(AgreementKeyHandle key, PublicKey peer) throws VaultException {
        return record(Kind.HANDSHAKE, real.agree(key, peer));
    }

    @Override
    public Set<KemAlgorithm> kemAlgorithms() {
        return real.kemAlgorithms();
    }

    @Override
    public KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        return real.generateKemKey(algorithm);
    }

    @Override
    public KemKeyHandle importKemKey(KemAlgorithm algorithm, byte[] seed) throws VaultException {
        return real.importKemKey(algorithm, seed);
    }

    @Override
    public byte[] kemPublicKey(KemKeyHandle key) throws VaultException {
        return real.kemPublicKey(key);
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey) throws VaultException {
        return recorded(real.encapsulate(algorithm, publicKey));
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        return recorded(real.encapsulate(algorithm, publicKey, randomness));
    }

    private Encapsulation recorded(Encapsulation encapsulation) throws VaultException {
        record(Kind.HANDSHAKE, encapsulation.sharedSecret());
        return encapsulation;
    }

    @Override
    public SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        return record(Kind.HANDSHAKE, real.decapsulate(key, ciphertext));
    }

    @Override
    public SecretHandle importSecret(byte[] secret) throws VaultException {
        return real.importSecret(secret);
    }

    @Override
    public List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException {
        Kind kind = ikm.length() == 0 ? Kind.SESSION : Kind.HANDSHAKE;
        List<SecretHandle> out = real.hkdf(hash, salt, ikm, info, lengths);
        for (SecretHandle secret : out) {
            record(kind, secret);
        }
        return out;
    }

    @Override
    public byte[] hmac(HashAlgorithm hash, SecretHandle key, byte[] data) throws VaultException {
        return real.hmac(hash, key, data);
    }

    @Override
    public AeadKeyHandle toAeadKey(SecretHandle secret, AeadAlgorithm algorithm) throws VaultException {
        return real.toAeadKey(secret, algorithm);
    }

    @Override
    public AeadKeyHandle rekey(AeadKeyHandle key) throws VaultException {
        return real.rekey(key);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws VaultException {
        return real.aeadEncrypt(key, nonce, associatedData, plaintext);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext, int headroom)
            throws VaultException {
        return real.aeadEncrypt(key, nonce, associatedData, plaintext, headroom);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException {
        return real.aeadDecrypt(key, nonce, associatedData, ciphertext);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length)
            throws VaultException, AuthenticationFailedException {
        return real.aeadDecrypt(key, nonce, associatedData, input, offset, length);
    }

    @Override
    public SecretHandle concatenate(List<SecretHandle> parts) throws VaultException {
        return record(Kind.HANDSHAKE, real.concatenate(parts));
    }

    @Override
    public byte[] xeddsaSign(AgreementKeyHandle key, byte[] message) throws VaultException {
        return real.xeddsaSign(key, message);
    }

    @Override
    public void delete(KeyHandle key) throws VaultException {
        real.delete(key);
    }

    @Override
    public byte[] exportSecret(SecretHandle secret, InsecureSecretAccess access) throws VaultException {
        return real.exportSecret(secret, access);
    }

    @Override
    public void close() {
        real.close();
    }
}
