package org.hopseal.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
import org.hopseal.api.vault.Vaults;

/**
 * A {@link SecureChannelVault} that times the operations of a handshake ({@code hopseal.vault.operation}, tag
 * {@code operation}: {@code generate_key}, {@code agree}, {@code hkdf}, {@code to_aead_key}, {@code xeddsa_sign},
 * {@code generate_kem_key}, {@code encapsulate}, {@code decapsulate}) and passes every call to the vault it wraps.
 * The per-message operations (AEAD encryption and decryption, rekeying) pass untimed, so the data path pays nothing.
 * Closing it closes nothing: the wrapped vault's owner closes that.
 *
 * <p>Thread safety: as the wrapped vault.
 *
 * @since 0.2
 */
public final class TimedChannelVault implements SecureChannelVault {
    private static final String NAME = "hopseal.vault.operation";

    private final SecureChannelVault vault;
    private final Timer generateKey;
    private final Timer agree;
    private final Timer hkdf;
    private final Timer toAeadKey;
    private final Timer xeddsaSign;
    private final Timer generateKemKey;
    private final Timer encapsulate;
    private final Timer decapsulate;

    private TimedChannelVault(SecureChannelVault vault, MeterRegistry registry) {
        this.vault = Objects.requireNonNull(vault, "vault");
        this.generateKey = timer(registry, "generate_key");
        this.agree = timer(registry, "agree");
        this.hkdf = timer(registry, "hkdf");
        this.toAeadKey = timer(registry, "to_aead_key");
        this.xeddsaSign = timer(registry, "xeddsa_sign");
        this.generateKemKey = timer(registry, "generate_kem_key");
        this.encapsulate = timer(registry, "encapsulate");
        this.decapsulate = timer(registry, "decapsulate");
    }

    /** {@code vault} timed into {@code registry}. */
    public static TimedChannelVault of(SecureChannelVault vault, MeterRegistry registry) {
        return new TimedChannelVault(vault, Objects.requireNonNull(registry, "registry"));
    }

    /** {@code vaults} with their channel vault timed into {@code registry}; the identity vault and verifier as they are. */
    public static Vaults timed(Vaults vaults, MeterRegistry registry) {
        return new Vaults(vaults.identity(), of(vaults.channel(), registry), vaults.verifier());
    }

    private static Timer timer(MeterRegistry registry, String operation) {
        return Timer.builder(NAME).description("Latency of the channel vault's handshake operations").tag("operation", operation)
                .register(registry);
    }

    private static void record(Timer timer, long started) {
        timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    @Override
    public Set<KeyType> agreementKeyTypes() {
        return vault.agreementKeyTypes();
    }

    @Override
    public Set<AeadAlgorithm> aeadAlgorithms() {
        return vault.aeadAlgorithms();
    }

    @Override
    public Set<HashAlgorithm> hashAlgorithms() {
        return vault.hashAlgorithms();
    }

    @Override
    public AgreementKeyHandle generateAgreementKey(KeyType type, Persistence persistence) throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.generateAgreementKey(type, persistence);
        } finally {
            record(generateKey, started);
        }
    }

    @Override
    public AgreementKeyHandle importAgreementKey(KeyType type, byte[] privateKey, Persistence persistence) throws VaultException {
        return vault.importAgreementKey(type, privateKey, persistence);
    }

    @Override
    public PublicKey publicKey(AgreementKeyHandle key) throws VaultException {
        return vault.publicKey(key);
    }

    @Override
    public List<AgreementKeyHandle> agreementKeys() throws VaultException {
        return vault.agreementKeys();
    }

    @Override
    public SecretHandle agree(AgreementKeyHandle key, PublicKey peer) throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.agree(key, peer);
        } finally {
            record(agree, started);
        }
    }

    @Override
    public SecretHandle importSecret(byte[] secret) throws VaultException {
        return vault.importSecret(secret);
    }

    @Override
    public List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.hkdf(hash, salt, ikm, info, lengths);
        } finally {
            record(hkdf, started);
        }
    }

    @Override
    public byte[] hmac(HashAlgorithm hash, SecretHandle key, byte[] data) throws VaultException {
        return vault.hmac(hash, key, data);
    }

    @Override
    public AeadKeyHandle toAeadKey(SecretHandle secret, AeadAlgorithm algorithm) throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.toAeadKey(secret, algorithm);
        } finally {
            record(toAeadKey, started);
        }
    }

    @Override
    public AeadKeyHandle rekey(AeadKeyHandle key) throws VaultException {
        return vault.rekey(key);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws VaultException {
        return vault.aeadEncrypt(key, nonce, associatedData, plaintext);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException {
        return vault.aeadDecrypt(key, nonce, associatedData, ciphertext);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext, int headroom)
            throws VaultException {
        return vault.aeadEncrypt(key, nonce, associatedData, plaintext, headroom);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] head, byte[] body, int bodyOffset,
            int bodyLength, int headroom) throws VaultException {
        return vault.aeadEncrypt(key, nonce, associatedData, head, body, bodyOffset, bodyLength, headroom);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length)
            throws VaultException, AuthenticationFailedException {
        return vault.aeadDecrypt(key, nonce, associatedData, input, offset, length);
    }

    @Override
    public SecretHandle concatenate(List<SecretHandle> parts) throws VaultException {
        return vault.concatenate(parts);
    }

    @Override
    public byte[] xeddsaSign(AgreementKeyHandle key, byte[] message) throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.xeddsaSign(key, message);
        } finally {
            record(xeddsaSign, started);
        }
    }

    @Override
    public Set<KemAlgorithm> kemAlgorithms() {
        return vault.kemAlgorithms();
    }

    @Override
    public KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.generateKemKey(algorithm);
        } finally {
            record(generateKemKey, started);
        }
    }

    @Override
    public KemKeyHandle importKemKey(KemAlgorithm algorithm, byte[] seed) throws VaultException {
        return vault.importKemKey(algorithm, seed);
    }

    @Override
    public byte[] kemPublicKey(KemKeyHandle key) throws VaultException {
        return vault.kemPublicKey(key);
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey) throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.encapsulate(algorithm, publicKey);
        } finally {
            record(encapsulate, started);
        }
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.encapsulate(algorithm, publicKey, randomness);
        } finally {
            record(encapsulate, started);
        }
    }

    @Override
    public SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        long started = System.nanoTime();
        try {
            return vault.decapsulate(key, ciphertext);
        } finally {
            record(decapsulate, started);
        }
    }

    @Override
    public void delete(KeyHandle key) throws VaultException {
        vault.delete(key);
    }

    @Override
    public byte[] exportSecret(SecretHandle secret, InsecureSecretAccess access) throws VaultException {
        return vault.exportSecret(secret, access);
    }

    /** Closes nothing: the wrapped vault belongs to whoever opened it. */
    @Override
    public void close() {
        // the wrapped vault's owner closes it
    }
}
