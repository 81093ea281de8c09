package org.hopseal.it;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;

/**
 * A secure-channel vault double that, at random, fails an operation or answers it wrongly (a corrupted ciphertext, a
 * different shared secret), like a flaky HSM or a buggy driver would.
 */
final class FaultyChannelVault implements SecureChannelVault {
    private final SecureChannelVault real;
    private final Random random;
    private final double rate;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger injected = new AtomicInteger();

    FaultyChannelVault(SecureChannelVault real, Random random, double rate) {
        this.real = real;
        this.random = random;
        this.rate = rate;
    }

    int injected() {
        return injected.get();
    }

    /** 0: behave, 1: fail, 2: answer wrongly. */
    private int roll() {
        lock.lock();
        try {
            double r = random.nextDouble();
            int what = r < rate ? 1 : r < 2 * rate ? 2 : 0;
            if (what != 0) {
                injected.incrementAndGet();
            }
            return what;
        } finally {
            lock.unlock();
        }
    }

    private void maybeFail() throws VaultException {
        if (roll() == 1) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "injected vault fault");
        }
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
        maybeFail();
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
        int what = roll();
        if (what == 1) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "injected vault fault");
        }
        if (what == 2) {
            byte[] wrong = new byte[32];
            random.nextBytes(wrong);
            return real.importSecret(wrong);
        }
        return real.agree(key, peer);
    }

    @Override
    public Set<KemAlgorithm> kemAlgorithms() {
        return real.kemAlgorithms();
    }

    @Override
    public KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        maybeFail();
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
        int what = roll();
        if (what == 1) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "injected vault fault");
        }
        Encapsulation out = real.encapsulate(algorithm, publicKey);
        if (what == 2) {
            real.delete(out.sharedSecret());
            return new Encapsulation(out.ciphertext(), wrongSecret());
        }
        return out;
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        return real.encapsulate(algorithm, publicKey, randomness);
    }

    @Override
    public SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        int what = roll();
        if (what == 1) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "injected vault fault");
        }
        if (what == 2) {
            return wrongSecret();
        }
        return real.decapsulate(key, ciphertext);
    }

    /** A random secret in place of the one the operation would have given. */
    private SecretHandle wrongSecret() throws VaultException {
        byte[] wrong = new byte[32];
        random.nextBytes(wrong);
        return real.importSecret(wrong);
    }

    @Override
    public SecretHandle importSecret(byte[] secret) throws VaultException {
        return real.importSecret(secret);
    }

    @Override
    public List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException {
        maybeFail();
        return real.hkdf(hash, salt, ikm, info, lengths);
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
        int what = roll();
        if (what == 1) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "injected vault fault");
        }
        byte[] out = real.aeadEncrypt(key, nonce, associatedData, plaintext);
        if (what == 2) {
            out[out.length - 1] ^= 1;
        }
        return out;
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException {
        maybeFail();
        return real.aeadDecrypt(key, nonce, associatedData, ciphertext);
    }

    @Override
    public SecretHandle concatenate(List<SecretHandle> parts) throws VaultException {
        return real.concatenate(parts);
    }

    @Override
    public void delete(KeyHandle key) throws VaultException {
        real.delete(key);
    }
}
