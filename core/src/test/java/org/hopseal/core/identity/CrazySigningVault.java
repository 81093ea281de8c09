package org.hopseal.core.identity;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;

/** A signing vault double that, once crazy, returns random signatures (Ockam's CrazySigningVault). */
final class CrazySigningVault implements SigningVault {
    private final SigningVault delegate;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean crazy;

    CrazySigningVault(SigningVault delegate, boolean crazy) {
        this.delegate = delegate;
        this.crazy = crazy;
    }

    void goCrazy() {
        crazy = true;
    }

    @Override
    public byte[] sign(SigningKeyHandle key, byte[] data) throws VaultException {
        byte[] real = delegate.sign(key, data);
        if (!crazy) {
            return real;
        }
        byte[] fake = new byte[real.length];
        random.nextBytes(fake);
        return fake;
    }

    @Override
    public Set<KeyType> signingKeyTypes() {
        return delegate.signingKeyTypes();
    }

    @Override
    public SigningKeyHandle generateSigningKey(KeyType type) throws VaultException {
        return delegate.generateSigningKey(type);
    }

    @Override
    public PublicKey publicKey(SigningKeyHandle key) throws VaultException {
        return delegate.publicKey(key);
    }

    @Override
    public Optional<SigningKeyHandle> find(PublicKey publicKey) throws VaultException {
        return delegate.find(publicKey);
    }

    @Override
    public List<SigningKeyHandle> signingKeys() throws VaultException {
        return delegate.signingKeys();
    }

    @Override
    public void delete(SigningKeyHandle key) throws VaultException {
        delegate.delete(key);
    }
}
