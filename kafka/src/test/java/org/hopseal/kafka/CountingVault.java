package org.hopseal.kafka;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

/** A channel vault that passes every call on and keeps the handles made and not yet deleted. */
final class CountingVault implements SecureChannelVault {
    private final SecureChannelVault inner;
    private final Set<KeyHandle> live = new HashSet<>();

    CountingVault(SecureChannelVault inner) {
        this.inner = inner;
    }

    /** Handles made through this vault and not deleted. */
    Set<KeyHandle> live() {
        return live;
    }

    private <H extends KeyHandle> H made(H h) {
        live.add(h);
        return h;
    }

    @Override
    public Set<KeyType> agreementKeyTypes() {
        return inner.agreementKeyTypes();
    }

    @Override
    public Set<AeadAlgorithm> aeadAlgorithms() {
        return inner.aeadAlgorithms();
    }

    @Override
    public Set<HashAlgorithm> hashAlgorithms() {
        return inner.hashAlgorithms();
    }

    @Override
    public AgreementKeyHandle generateAgreementKey(KeyType type, Persistence persistence) throws VaultException {
        return made(inner.generateAgreementKey(type, persistence));
    }

    @Override
    public AgreementKeyHandle importAgreementKey(KeyType type, byte[] privateKey, Persistence persistence) throws VaultException {
        return made(inner.importAgreementKey(type, privateKey, persistence));
    }

    @Override
    public PublicKey publicKey(AgreementKeyHandle key) throws VaultException {
        return inner.publicKey(key);
    }

    @Override
    public List<AgreementKeyHandle> agreementKeys() throws VaultException {
        return inner.agreementKeys();
    }

    @Override
    public SecretHandle agree(AgreementKeyHandle key, PublicKey peer) throws VaultException {
        return made(inner.agree(key, peer));
    }

    @Override
    public Set<KemAlgorithm> kemAlgorithms() {
        return inner.kemAlgorithms();
    }

    @Override
    public KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        return made(inner.generateKemKey(algorithm));
    }

    @Override
    public KemKeyHandle importKemKey(KemAlgorithm algorithm, byte[] seed) throws VaultException {
        return made(inner.importKemKey(algorithm, seed));
    }

    @Override
    public byte[] kemPublicKey(KemKeyHandle key) throws VaultException {
        return inner.kemPublicKey(key);
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey) throws VaultException {
        Encapsulation out = inner.encapsulate(algorithm, publicKey);
        made(out.sharedSecret());
        return out;
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        Encapsulation out = inner.encapsulate(algorithm, publicKey, randomness);
        made(out.sharedSecret());
        return out;
    }

    @Override
    public SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        return made(inner.decapsulate(key, ciphertext));
    }

    @Override
    public SecretHandle importSecret(byte[] secret) throws VaultException {
        return made(inner.importSecret(secret));
    }

    @Override
    public List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException {
        List<SecretHandle> out = inner.hkdf(hash, salt, ikm, info, lengths);
        out.forEach(this::made);
        return out;
    }

    @Override
    public byte[] hmac(HashAlgorithm hash, SecretHandle key, byte[] data) throws VaultException {
        return inner.hmac(hash, key, data);
    }

    @Override
    public AeadKeyHandle toAeadKey(SecretHandle secret, AeadAlgorithm algorithm) throws VaultException {
        return made(inner.toAeadKey(secret, algorithm));
    }

    @Override
    public AeadKeyHandle rekey(AeadKeyHandle key) throws VaultException {
        return made(inner.rekey(key));
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws VaultException {
        return inner.aeadEncrypt(key, nonce, associatedData, plaintext);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException {
        return inner.aeadDecrypt(key, nonce, associatedData, ciphertext);
    }

    @Override
    public SecretHandle concatenate(List<SecretHandle> parts) throws VaultException {
        return made(inner.concatenate(parts));
    }

    @Override
    public byte[] exportSecret(SecretHandle secret, InsecureSecretAccess access) throws VaultException {
        return inner.exportSecret(secret, access);
    }

    @Override
    public void delete(KeyHandle key) throws VaultException {
        inner.delete(key);
        live.remove(key);
    }
}
