package org.hopseal.core.channel.noise;

import java.util.Arrays;
import java.util.List;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.Verifier;

/**
 * Noise's SymmetricState (specification section 5.2): the chaining key {@code ck} (a vault secret), the handshake
 * hash {@code h} (public), and a {@link CipherState}.
 */
final class SymmetricState {
    private final NoiseProtocol protocol;
    private final SecureChannelVault vault;
    private final Verifier hasher;
    private final int hashLen;
    private final CipherState cipherState;
    private SecretHandle ck;
    private byte[] h;

    /** {@code InitializeSymmetric(protocol_name)}. */
    SymmetricState(NoiseProtocol protocol, SecureChannelVault vault, Verifier hasher) throws VaultException {
        this.protocol = protocol;
        this.vault = vault;
        this.hasher = hasher;
        this.hashLen = protocol.hash().hashLength();
        this.cipherState = new CipherState(vault, protocol.cipher());
        byte[] name = protocol.nameBytes();
        if (name.length <= hashLen) {
            h = Arrays.copyOf(name, hashLen);
        } else {
            h = hasher.hash(protocol.hash(), name);
        }
        ck = vault.importSecret(h);
    }

    /** {@code MixKey(input_key_material)}. */
    void mixKey(SecretHandle inputKeyMaterial) throws VaultException {
        List<SecretHandle> out = vault.hkdf(protocol.hash(), ck, inputKeyMaterial, new byte[0], List.of(hashLen, hashLen));
        replaceCk(out.get(0));
        cipherState.initializeKey(vault.toAeadKey(out.get(1), protocol.cipher()));
        vault.delete(out.get(1));
    }

    /** {@code MixHash(data)}. */
    void mixHash(byte[] data) throws VaultException {
        h = hasher.hash(protocol.hash(), h, data);
    }

    /**
     * {@code MixKeyAndHash(input_key_material)}, used by PSK patterns. {@code temp_h} is mixed into the public hash,
     * so it is read out of the vault; this needs a vault that can export secrets.
     */
    void mixKeyAndHash(SecretHandle inputKeyMaterial) throws VaultException {
        List<SecretHandle> out = vault.hkdf(protocol.hash(), ck, inputKeyMaterial, new byte[0], List.of(hashLen, hashLen, hashLen));
        replaceCk(out.get(0));
        mixHash(vault.exportSecret(out.get(1), InsecureSecretAccess.get()));
        vault.delete(out.get(1));
        cipherState.initializeKey(vault.toAeadKey(out.get(2), protocol.cipher()));
        vault.delete(out.get(2));
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    /** {@code EncryptAndHash(plaintext)}. */
    byte[] encryptAndHash(byte[] plaintext) throws HandshakeException, VaultException {
        byte[] ciphertext = cipherState.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    /** {@code DecryptAndHash(ciphertext)}. */
    byte[] decryptAndHash(byte[] ciphertext) throws HandshakeException, VaultException, AuthenticationFailedException {
        byte[] plaintext = cipherState.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    boolean hasKey() {
        return cipherState.hasKey();
    }

    /** {@code Split()}: the initiator sends with the first CipherState, as the specification says. */
    CipherState[] split() throws VaultException {
        SecretHandle empty = vault.importSecret(new byte[0]);
        List<SecretHandle> out = vault.hkdf(protocol.hash(), ck, empty, new byte[0], List.of(hashLen, hashLen));
        vault.delete(empty);
        CipherState c1 = new CipherState(vault, protocol.cipher());
        CipherState c2 = new CipherState(vault, protocol.cipher());
        c1.initializeKey(vault.toAeadKey(out.get(0), protocol.cipher()));
        c2.initializeKey(vault.toAeadKey(out.get(1), protocol.cipher()));
        vault.delete(out.get(0));
        vault.delete(out.get(1));
        return new CipherState[] {c1, c2};
    }

    private void replaceCk(SecretHandle next) throws VaultException {
        SecretHandle old = ck;
        ck = next;
        vault.delete(old);
    }

    /** Deletes ck and k from the vault. */
    void destroy() throws VaultException {
        cipherState.destroy();
        if (ck != null) {
            SecretHandle old = ck;
            ck = null;
            vault.delete(old);
        }
    }
}
