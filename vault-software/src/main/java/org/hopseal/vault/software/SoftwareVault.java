package org.hopseal.vault.software;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
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
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.store.StoredKeyPair;
import org.hopseal.vault.software.store.StoredState;
import org.hopseal.vault.software.store.VaultStore;

/**
 * Every vault role in memory: Ed25519, ECDSA P-256, X25519, P-256 ECDH, ML-KEM-768, HKDF and HMAC over SHA-256,
 * SHA-512, BLAKE2s and BLAKE2b, AES-GCM and ChaCha20-Poly1305.
 *
 * <h2>Security guarantees</h2>
 * Private keys and secrets are kept off the Java heap in locked memory excluded from core dumps (see
 * {@link SecretMemory}); they are copied to the heap only for the duration of one operation and wiped after.
 * AEAD keys are also held on the heap and by the JDK cipher objects, as the JDK requires; deleting the key wipes the
 * heap copy and re-initializes its ciphers under a public key (the JDK's own copies of the key are overwritten, its
 * expanded AES round keys are left to the garbage collector). Encrypting twice in a row under one AEAD
 * key and nonce is refused (the JDK's guard, kept), except by Noise's {@code REKEY} ({@link #rekey}), whose fixed
 * nonce repeats by design. Deleting a key or closing the vault wipes
 * its memory. X25519 agreement with a low-order point is rejected. An ML-KEM private key is derived from its seed
 * ({@code d || z}) once and kept expanded ({@code dk}) in this memory; BouncyCastle's heap copy for each operation is
 * wiped after, its intermediate values are left to the garbage collector. An ML-KEM encapsulation key that fails FIPS
 * 203's modulus check is rejected. Nothing is exported without {@link InsecureSecretAccess}.
 *
 * <h2>Thread safety</h2>
 * Thread safe. Each AEAD key keeps one cipher per direction behind a {@link ReentrantLock}, taken from a pool of
 * wiped ciphers ({@link AeadCiphers}) and given back wiped when the key is deleted. Changes of the persistent
 * state (persistent key pairs, records) are serialized, and each is stored before the next begins.
 *
 * <h2>Persistence</h2>
 * {@code new SoftwareVault()} keeps everything in memory. {@link #persistent} makes a vault that hands its persistent
 * key pairs and records to a {@link VaultStore} after every change of them (the file vault is built so); nothing
 * else can read a private key out of a vault, and the class is final so that no subclass can either.
 *
 * @since 0.1
 */
public final class SoftwareVault implements SigningVault, SecureChannelVault {
    private static final byte[] NOTHING = new byte[0];
    /**
     * From this body length on, the JDK's AES-GCM is faster fed a head and the body where it lies (update, then
     * doFinal) than the two copied together into the output and encrypted in place; below it, the second call costs
     * more than the copy saves (measured on JDK 25: 1 KiB 30% slower in two parts, 64 KiB 25% faster).
     */
    static final int TWO_PART_MIN = 16 * 1024;
    private static final Set<KeyType> SIGNING = EnumSet.of(KeyType.ED25519, KeyType.ECDSA_P256);
    private static final Set<KeyType> AGREEMENT = EnumSet.of(KeyType.X25519, KeyType.P256_ECDH);

    private final SecureRandom random = new SecureRandom();
    private final SecretMemory memory = new SecretMemory();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final String prefix;
    private final Map<String, byte[]> records = new ConcurrentSkipListMap<>();
    /** Where the persistent state goes after each change; {@code null} for a vault in memory only. */
    private final VaultStore store;
    /** Serializes changes of the persistent state, so that the last state stored is the latest. */
    private final ReentrantLock storeLock = new ReentrantLock();
    private volatile boolean closed;

    /** A vault in memory only: nothing outlives it. */
    public SoftwareVault() {
        this(null);
    }

    private SoftwareVault(VaultStore store) {
        byte[] tag = new byte[4];
        random.nextBytes(tag);
        this.prefix = HexFormat.of().formatHex(tag) + "-";
        this.store = store;
    }

    /**
     * A persistent vault: it starts with the key pairs and records of {@code restored} (whose private keys the caller
     * wipes afterwards) and gives {@code store} its whole persistent state after every change of it. The file
     * vault's way in; the types are exported to the file vault's module only.
     */
    @SuppressWarnings("exports")
    public static SoftwareVault persistent(StoredState restored, VaultStore store) throws VaultException {
        SoftwareVault vault = new SoftwareVault(Objects.requireNonNull(store, "store"));
        try {
            vault.restore(restored);
        } catch (VaultException | RuntimeException e) {
            vault.close();
            throw e;
        }
        return vault;
    }

    /** This vault in every role, with a {@link SoftwareVerifier}. */
    public static Vaults vaults() {
        SoftwareVault v = new SoftwareVault();
        return new Vaults(v, v, new SoftwareVerifier());
    }

    /** What the vault holds under one id. */
    private sealed interface Entry permits KeyPairEntry, KemKeyEntry, SecretEntry, AeadEntry {
        void destroy();
    }

    /** A signing or agreement key pair. */
    private record KeyPairEntry(KeyType type, SecretMemory.Region priv, PublicKey pub, Persistence persistence)
            implements Entry {
        @Override
        public void destroy() {
            priv.free();
        }
    }

    /** A KEM key pair: the expanded decapsulation key ({@code dk}) and the encapsulation key; always ephemeral. */
    private record KemKeyEntry(MlKem kem, SecretMemory.Region decapsulationKey, byte[] publicKey) implements Entry {
        @Override
        public void destroy() {
            decapsulationKey.free();
        }
    }

    private record SecretEntry(SecretMemory.Region secret) implements Entry {
        @Override
        public void destroy() {
            secret.free();
        }
    }

    /**
     * An AEAD key: in secret memory, and on the heap as the JDK's ciphers take it, with one cipher per direction taken
     * from {@link AeadCiphers} on first use. Each direction's cipher is used under its lock; {@link #destroy} takes
     * both locks, so it waits for an operation under way, and after it no operation of this entry runs: the heap copy
     * is wiped and the ciphers go back to the pool wiped.
     */
    private static final class AeadEntry implements Entry {
        final AeadAlgorithm algorithm;
        final AeadCiphers ciphers;
        final SecretMemory.Region key;
        final WipeableKey jcaKey;
        final ReentrantLock encryptLock = new ReentrantLock();
        final ReentrantLock decryptLock = new ReentrantLock();
        /** Guarded by {@link #encryptLock}. */
        Cipher encryptor;
        /** Guarded by {@link #decryptLock}. */
        Cipher decryptor;
        /** Written with both locks held, read with either. */
        boolean destroyed;

        AeadEntry(AeadAlgorithm algorithm, SecretMemory.Region key, byte[] keyBytes) {
            this.algorithm = algorithm;
            this.ciphers = AeadCiphers.of(algorithm);
            this.key = key;
            this.jcaKey = new WipeableKey(keyBytes.clone(), ciphers.keyAlgorithm());
        }

        /** Refuses an operation on this entry once it is destroyed. Called with one of its locks held. */
        void checkLive() throws VaultException {
            if (destroyed) {
                throw new VaultException(ErrorKind.NOT_FOUND, "the " + algorithm + " key was deleted");
            }
        }

        @Override
        public void destroy() {
            encryptLock.lock();
            decryptLock.lock();
            try {
                if (destroyed) {
                    return;
                }
                destroyed = true;
                if (encryptor != null) {
                    ciphers.give(encryptor);
                    encryptor = null;
                }
                if (decryptor != null) {
                    ciphers.give(decryptor);
                    decryptor = null;
                }
                jcaKey.destroy();
                key.free();
            } finally {
                decryptLock.unlock();
                encryptLock.unlock();
            }
        }
    }

    // ---- bookkeeping -------------------------------------------------------------------------------------------

    private String put(Entry e) throws VaultException {
        checkOpen();
        String id = prefix + nextId.incrementAndGet();
        entries.put(id, e);
        return id;
    }

    /**
     * Adds a key pair; a persistent one is stored before this returns, and if storing fails the key is removed again,
     * so memory and storage never disagree.
     */
    private String putKeyPair(KeyPairEntry entry) throws VaultException {
        if (entry.persistence() != Persistence.PERSISTENT) {
            return put(entry);
        }
        storeLock.lock();
        try {
            String id = put(entry);
            saveOrUndo(() -> {
                entries.remove(id);
                entry.destroy();
            });
            return id;
        } finally {
            storeLock.unlock();
        }
    }

    /** Loads the persistent key pairs (public keys derived again) and records a persistent vault starts with. */
    private void restore(StoredState restored) throws VaultException {
        for (StoredKeyPair k : restored.keyPairs()) {
            PublicKey pub = new PublicKey(k.type(), derivePublic(k.type(), k.privateKey()));
            entries.put(k.id(), new KeyPairEntry(k.type(), memory.store(k.privateKey()), pub, Persistence.PERSISTENT));
        }
        restored.records().forEach((name, value) -> records.put(name, value.clone()));
    }

    /**
     * Hands the persistent state to the store, if there is one, and wipes its private keys after; if storing fails,
     * {@code undo} reverts the change just made. Called with {@link #storeLock} held.
     */
    private void saveOrUndo(Runnable undo) throws VaultException {
        if (store == null) {
            return;
        }
        StoredState state = persistentState();
        try {
            store.save(state);
        } catch (VaultException | RuntimeException e) {
            undo.run();
            throw e;
        } finally {
            state.wipe();
        }
    }

    /** The persistent key pairs, with copies of their private keys (the caller wipes them), and the records. */
    private StoredState persistentState() {
        List<StoredKeyPair> keyPairs = new ArrayList<>();
        new TreeMap<>(entries).forEach((id, e) -> {
            if (e instanceof KeyPairEntry kp && kp.persistence() == Persistence.PERSISTENT) {
                keyPairs.add(new StoredKeyPair(id, kp.type(), kp.priv().read()));
            }
        });
        return new StoredState(keyPairs, records);
    }

    private <T extends Entry> T get(KeyHandle handle, Class<T> type) throws VaultException {
        checkOpen();
        Entry e = entries.get(handle.id());
        if (e == null) {
            throw notFound(handle);
        }
        if (!type.isInstance(e)) {
            throw new VaultException(ErrorKind.INVALID, "key " + handle.id() + " is not of the kind this operation needs");
        }
        return type.cast(e);
    }

    private KeyPairEntry keyPair(KeyHandle handle, KeyType expected) throws VaultException {
        KeyPairEntry e = get(handle, KeyPairEntry.class);
        if (e.type() != expected) {
            throw new VaultException(ErrorKind.INVALID, "key " + handle.id() + " is " + e.type() + ", not " + expected);
        }
        return e;
    }

    private void checkOpen() throws VaultException {
        if (closed) {
            throw new VaultException(ErrorKind.SHUTDOWN, "the vault is closed");
        }
    }

    // ---- signing ----------------------------------------------------------------------------------------------

    @Override
    public Set<KeyType> signingKeyTypes() {
        return SIGNING;
    }

    @Override
    public SigningKeyHandle generateSigningKey(KeyType type) throws VaultException {
        if (!SIGNING.contains(type)) {
            throw new VaultException(ErrorKind.UNSUPPORTED, type + " is not a signing key type");
        }
        String id = addKeyPair(type, Persistence.PERSISTENT);
        return new SigningKeyHandle(id, type);
    }

    private String addKeyPair(KeyType type, Persistence persistence) throws VaultException {
        byte[] priv = generatePrivate(type);
        try {
            PublicKey pub = new PublicKey(type, derivePublic(type, priv));
            return putKeyPair(new KeyPairEntry(type, memory.store(priv), pub, persistence));
        } finally {
            Scrub.bytes(priv);
        }
    }

    private byte[] generatePrivate(KeyType type) throws VaultException {
        switch (type) {
            case ED25519 -> {
                byte[] k = new byte[Ed25519.SECRET_KEY_SIZE];
                Ed25519.generatePrivateKey(random, k);
                return k;
            }
            case X25519 -> {
                byte[] k = new byte[X25519.SCALAR_SIZE];
                X25519.generatePrivateKey(random, k);
                return k;
            }
            case ECDSA_P256, P256_ECDH -> {
                return P256.generatePrivate(random);
            }
            default -> throw new VaultException(ErrorKind.UNSUPPORTED, "cannot generate " + type);
        }
    }

    private static byte[] derivePublic(KeyType type, byte[] priv) throws VaultException {
        switch (type) {
            case ED25519 -> {
                byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
                Ed25519.generatePublicKey(priv, 0, pub, 0);
                return pub;
            }
            case X25519 -> {
                byte[] pub = new byte[X25519.POINT_SIZE];
                X25519.scalarMultBase(priv, 0, pub, 0);
                return pub;
            }
            default -> {
                if (!P256.validPrivate(priv)) {
                    throw new VaultException(ErrorKind.INVALID, "not a valid P-256 private key");
                }
                return P256.publicFromPrivate(priv);
            }
        }
    }

    @Override
    public PublicKey publicKey(SigningKeyHandle key) throws VaultException {
        return keyPair(key, key.type()).pub();
    }

    @Override
    public Optional<SigningKeyHandle> find(PublicKey publicKey) throws VaultException {
        checkOpen();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue() instanceof KeyPairEntry kp && kp.type().isSigning() && kp.pub().equals(publicKey)) {
                return Optional.of(new SigningKeyHandle(e.getKey(), kp.type()));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<SigningKeyHandle> signingKeys() throws VaultException {
        checkOpen();
        List<SigningKeyHandle> out = new ArrayList<>();
        new TreeMap<>(entries).forEach((id, e) -> {
            if (e instanceof KeyPairEntry kp && kp.type().isSigning()) {
                out.add(new SigningKeyHandle(id, kp.type()));
            }
        });
        return out;
    }

    @Override
    public byte[] sign(SigningKeyHandle key, byte[] data) throws VaultException {
        KeyPairEntry e = keyPair(key, key.type());
        byte[] priv = e.priv().read();
        try {
            if (e.type() == KeyType.ED25519) {
                byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
                Ed25519.sign(priv, 0, e.pub().bytes(), 0, data, 0, data.length, sig, 0);
                return sig;
            }
            return P256.sign(priv, data);
        } catch (GeneralSecurityException ex) {
            throw new VaultException(ErrorKind.INTERNAL, "signing failed", ex);
        } finally {
            Scrub.bytes(priv);
        }
    }

    @Override
    public void delete(SigningKeyHandle key) throws VaultException {
        delete((KeyHandle) key);
    }

    @Override
    public void putRecord(String name, byte[] value) throws VaultException {
        Objects.requireNonNull(name, "name");
        byte[] copy = value.clone();
        storeLock.lock();
        try {
            checkOpen();
            byte[] before = records.put(name, copy);
            saveOrUndo(() -> restoreRecord(name, before));
        } finally {
            storeLock.unlock();
        }
    }

    @Override
    public void deleteRecord(String name) throws VaultException {
        Objects.requireNonNull(name, "name");
        storeLock.lock();
        try {
            checkOpen();
            byte[] before = records.remove(name);
            if (before != null) {
                saveOrUndo(() -> records.put(name, before)); // not deleted from storage, so not from memory either
            }
        } finally {
            storeLock.unlock();
        }
    }

    /** Puts back the record {@code name} had before a change ({@code null}: it had none). */
    private void restoreRecord(String name, byte[] before) {
        if (before == null) {
            records.remove(name);
        } else {
            records.put(name, before);
        }
    }

    @Override
    public Optional<byte[]> record(String name) throws VaultException {
        checkOpen();
        return Optional.ofNullable(records.get(name)).map(byte[]::clone);
    }

    @Override
    public List<String> recordNames() throws VaultException {
        checkOpen();
        return List.copyOf(records.keySet());
    }

    // ---- secure channel ---------------------------------------------------------------------------------------

    @Override
    public Set<KeyType> agreementKeyTypes() {
        return AGREEMENT;
    }

    @Override
    public Set<AeadAlgorithm> aeadAlgorithms() {
        return EnumSet.allOf(AeadAlgorithm.class);
    }

    @Override
    public Set<HashAlgorithm> hashAlgorithms() {
        return EnumSet.allOf(HashAlgorithm.class);
    }

    @Override
    public AgreementKeyHandle generateAgreementKey(KeyType type, Persistence persistence) throws VaultException {
        if (!AGREEMENT.contains(type)) {
            throw new VaultException(ErrorKind.UNSUPPORTED, type + " is not a key agreement type");
        }
        return new AgreementKeyHandle(addKeyPair(type, persistence), type);
    }

    @Override
    public AgreementKeyHandle importAgreementKey(KeyType type, byte[] privateKey, Persistence persistence) throws VaultException {
        if (!AGREEMENT.contains(type)) {
            throw new VaultException(ErrorKind.UNSUPPORTED, type + " is not a key agreement type");
        }
        if (privateKey.length != 32) {
            throw new VaultException(ErrorKind.INVALID, type + " private keys are 32 bytes, not " + privateKey.length);
        }
        PublicKey pub = new PublicKey(type, derivePublic(type, privateKey));
        return new AgreementKeyHandle(putKeyPair(new KeyPairEntry(type, memory.store(privateKey), pub, persistence)), type);
    }

    @Override
    public PublicKey publicKey(AgreementKeyHandle key) throws VaultException {
        return keyPair(key, key.type()).pub();
    }

    @Override
    public List<AgreementKeyHandle> agreementKeys() throws VaultException {
        checkOpen();
        List<AgreementKeyHandle> out = new ArrayList<>();
        new TreeMap<>(entries).forEach((id, e) -> {
            if (e instanceof KeyPairEntry kp && !kp.type().isSigning() && kp.persistence() == Persistence.PERSISTENT) {
                out.add(new AgreementKeyHandle(id, kp.type()));
            }
        });
        return out;
    }

    @Override
    public SecretHandle agree(AgreementKeyHandle key, PublicKey peer) throws VaultException {
        KeyPairEntry e = keyPair(key, key.type());
        if (peer.type() != e.type()) {
            throw new VaultException(ErrorKind.INVALID, "cannot agree a " + e.type() + " key with a " + peer.type() + " key");
        }
        byte[] peerBytes = peer.bytes();
        byte[] priv = e.priv().read();
        byte[] shared = null;
        try {
            if (e.type() == KeyType.X25519) {
                if (peerBytes.length != X25519.POINT_SIZE) {
                    throw new VaultException(ErrorKind.INVALID, "X25519 public keys are 32 bytes, not " + peerBytes.length);
                }
                shared = new byte[X25519.POINT_SIZE];
                if (!X25519.calculateAgreement(priv, 0, peerBytes, 0, shared, 0)) {
                    throw new VaultException(ErrorKind.INVALID, "X25519 agreement gave the all-zero secret (a low-order public key)");
                }
            } else {
                try {
                    shared = P256.agree(priv, peerBytes);
                } catch (IllegalArgumentException | GeneralSecurityException ex) {
                    throw new VaultException(ErrorKind.INVALID, "invalid P-256 public key: " + ex.getMessage());
                }
            }
            return new SecretHandle(put(new SecretEntry(memory.store(shared))), shared.length);
        } finally {
            Scrub.bytes(priv, shared);
        }
    }

    @Override
    public SecretHandle concatenate(List<SecretHandle> parts) throws VaultException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SecretHandle part : parts) {
            byte[] b = get(part, SecretEntry.class).secret().read();
            out.writeBytes(b);
            Scrub.bytes(b);
        }
        byte[] all = out.toByteArray();
        try {
            return importSecret(all);
        } finally {
            Scrub.bytes(all);
        }
    }

    @Override
    public byte[] xeddsaSign(AgreementKeyHandle key, byte[] message) throws VaultException {
        KeyPairEntry e = keyPair(key, KeyType.X25519);
        byte[] priv = e.priv().read();
        try {
            return XEdDsa.sign(priv, message);
        } finally {
            Scrub.bytes(priv);
        }
    }

    // ---- key encapsulation ------------------------------------------------------------------------------------

    @Override
    public Set<KemAlgorithm> kemAlgorithms() {
        return MlKem.ALGORITHMS;
    }

    @Override
    public KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        MlKem kem = MlKem.of(algorithm);
        byte[] seed = new byte[algorithm.seedLength()];
        random.nextBytes(seed);
        try {
            return addKemKey(kem, seed);
        } finally {
            Scrub.bytes(seed);
        }
    }

    @Override
    public KemKeyHandle importKemKey(KemAlgorithm algorithm, byte[] seed) throws VaultException {
        MlKem kem = MlKem.of(algorithm);
        requireLength(algorithm, "seeds (d || z)", algorithm.seedLength(), seed);
        return addKemKey(kem, seed);
    }

    private KemKeyHandle addKemKey(MlKem kem, byte[] seed) throws VaultException {
        MlKem.KeyPair pair = kem.derive(seed);
        try {
            return new KemKeyHandle(put(new KemKeyEntry(kem, memory.store(pair.decapsulationKey()), pair.publicKey())), kem.algorithm());
        } finally {
            Scrub.bytes(pair.decapsulationKey());
        }
    }

    @Override
    public byte[] kemPublicKey(KemKeyHandle key) throws VaultException {
        return get(key, KemKeyEntry.class).publicKey().clone();
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey) throws VaultException {
        byte[] m = new byte[MlKem.RANDOMNESS_LENGTH];
        random.nextBytes(m);
        try {
            return encapsulate(algorithm, publicKey, m);
        } finally {
            Scrub.bytes(m);
        }
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        MlKem kem = MlKem.of(algorithm);
        requireLength(algorithm, "encapsulation keys", algorithm.publicKeyLength(), publicKey);
        requireLength(algorithm, "encapsulation randomness values (m)", MlKem.RANDOMNESS_LENGTH, randomness);
        MlKem.Encapsulated out = kem.encapsulate(publicKey, randomness);
        try {
            return new Encapsulation(out.ciphertext(), importSecret(out.sharedSecret()));
        } finally {
            Scrub.bytes(out.sharedSecret());
        }
    }

    @Override
    public SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        KemKeyEntry e = get(key, KemKeyEntry.class);
        KemAlgorithm algorithm = e.kem().algorithm();
        requireLength(algorithm, "ciphertexts", algorithm.ciphertextLength(), ciphertext);
        byte[] dk = e.decapsulationKey().read();
        byte[] shared = null;
        try {
            shared = e.kem().decapsulate(dk, ciphertext);
            return importSecret(shared);
        } finally {
            Scrub.bytes(dk, shared);
        }
    }

    private static void requireLength(KemAlgorithm algorithm, String what, int expected, byte[] value) throws VaultException {
        if (value.length != expected) {
            throw new VaultException(ErrorKind.INVALID, algorithm + " " + what + " are " + expected + " bytes, not " + value.length);
        }
    }

    @Override
    public SecretHandle importSecret(byte[] secret) throws VaultException {
        return new SecretHandle(put(new SecretEntry(memory.store(secret))), secret.length);
    }

    @Override
    public List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException {
        int total = 0;
        for (int n : lengths) {
            if (n <= 0) {
                throw new VaultException(ErrorKind.INVALID, "HKDF output lengths must be positive");
            }
            total += n;
        }
        if (total > 255 * hash.hashLength()) {
            throw new VaultException(ErrorKind.INVALID, "HKDF can produce at most " + 255 * hash.hashLength() + " bytes");
        }
        byte[] s = get(salt, SecretEntry.class).secret().read();
        byte[] k = get(ikm, SecretEntry.class).secret().read();
        byte[] okm = Digests.hkdf(hash, s, k, info, total);
        try {
            List<SecretHandle> out = new ArrayList<>(lengths.size());
            int pos = 0;
            for (int n : lengths) {
                byte[] part = Arrays.copyOfRange(okm, pos, pos + n);
                out.add(new SecretHandle(put(new SecretEntry(memory.store(part))), n));
                Scrub.bytes(part);
                pos += n;
            }
            return out;
        } finally {
            Scrub.bytes(s, k, okm);
        }
    }

    @Override
    public byte[] hmac(HashAlgorithm hash, SecretHandle key, byte[] data) throws VaultException {
        byte[] k = get(key, SecretEntry.class).secret().read();
        try {
            return Digests.hmac(hash, k, data);
        } finally {
            Scrub.bytes(k);
        }
    }

    @Override
    public AeadKeyHandle toAeadKey(SecretHandle secret, AeadAlgorithm algorithm) throws VaultException {
        byte[] s = get(secret, SecretEntry.class).secret().read();
        if (s.length < algorithm.keyLength()) {
            Scrub.bytes(s);
            throw new VaultException(ErrorKind.INVALID, algorithm + " needs " + algorithm.keyLength() + " key bytes, the secret has " + s.length);
        }
        byte[] k = Arrays.copyOf(s, algorithm.keyLength());
        try {
            return new AeadKeyHandle(put(new AeadEntry(algorithm, memory.store(k), k)), algorithm);
        } finally {
            Scrub.bytes(s, k);
        }
    }

    @Override
    public AeadKeyHandle rekey(AeadKeyHandle key) throws VaultException {
        AeadEntry e = get(key, AeadEntry.class);
        // Nonce 2^64-1: all ones in the counter bytes, whichever byte order the cipher's Noise nonce uses.
        byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
        Arrays.fill(nonce, 4, 12, (byte) 0xFF);
        byte[] out = encrypt(e, nonce, NOTHING, NOTHING, new byte[32], 0, 32, 0, true);
        byte[] k = Arrays.copyOf(out, e.algorithm.keyLength());
        try {
            return new AeadKeyHandle(put(new AeadEntry(e.algorithm, memory.store(k), k)), e.algorithm);
        } finally {
            Scrub.bytes(out, k);
        }
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws VaultException {
        return aeadEncrypt(key, nonce, associatedData, plaintext, 0);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext, int headroom)
            throws VaultException {
        return aeadEncrypt(key, nonce, associatedData, NOTHING, plaintext, 0, plaintext.length, headroom);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] head, byte[] body,
            int bodyOffset, int bodyLength, int headroom) throws VaultException {
        if (headroom < 0) {
            throw new VaultException(ErrorKind.INVALID, "negative headroom " + headroom);
        }
        Objects.checkFromIndexSize(bodyOffset, bodyLength, body.length);
        AeadEntry e = get(key, AeadEntry.class);
        checkNonce(nonce);
        return encrypt(e, nonce, associatedData, head, body, bodyOffset, bodyLength, headroom, false);
    }

    /**
     * Encrypts with the key's own cipher, whose JDK guard refuses to encrypt twice in a row under one key and nonce
     * (a repeated GCM nonce gives away the authentication key and the XOR of the plaintexts). Only Noise's REKEY
     * legitimately repeats its fixed nonce 2^64-1 (REKEY of the same key twice, or by both sides of a channel): it
     * borrows a cipher of the pool for one message (a pooled cipher's guard knows only the pool's public key), so it
     * neither needs the guard lifted nor resets it for the key's next message.
     */
    private byte[] encrypt(AeadEntry e, byte[] nonce, byte[] associatedData, byte[] head, byte[] body, int bodyOffset,
            int bodyLength, int headroom, boolean rekey)
            throws VaultException {
        e.encryptLock.lock();
        Cipher borrowed = null;
        try {
            e.checkLive();
            Cipher c;
            if (rekey) {
                borrowed = e.ciphers.take();
                c = borrowed;
                c.init(Cipher.ENCRYPT_MODE, e.jcaKey, e.ciphers.params(nonce));
            } else {
                if (e.encryptor == null) {
                    e.encryptor = e.ciphers.take();
                }
                c = e.encryptor;
                try {
                    c.init(Cipher.ENCRYPT_MODE, e.jcaKey, e.ciphers.params(nonce));
                } catch (InvalidKeyException | InvalidAlgorithmParameterException reuse) {
                    throw new VaultException(ErrorKind.INVALID, "refusing to encrypt again under the same " + e.algorithm
                            + " key and nonce " + HexFormat.of().formatHex(nonce)
                            + " (a repeated nonce breaks the AEAD); each message needs a new nonce");
                }
            }
            if (associatedData.length > 0) {
                c.updateAAD(associatedData);
            }
            // An AEAD's output is exactly its input and the tag, whatever part of it update() already returned.
            byte[] out = new byte[headroom + head.length + bodyLength + AeadAlgorithm.TAG_LENGTH];
            if (bodyLength < TWO_PART_MIN) {
                System.arraycopy(head, 0, out, headroom, head.length);
                System.arraycopy(body, bodyOffset, out, headroom + head.length, bodyLength);
                c.doFinal(out, headroom, head.length + bodyLength, out, headroom);
            } else {
                int n = c.update(head, 0, head.length, out, headroom);
                c.doFinal(body, bodyOffset, bodyLength, out, headroom + n);
            }
            return out;
        } catch (GeneralSecurityException ex) {
            throw new VaultException(ErrorKind.INTERNAL, "encryption failed: " + ex.getClass().getSimpleName());
        } finally {
            if (borrowed != null) {
                e.ciphers.give(borrowed);
            }
            e.encryptLock.unlock();
        }
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException {
        return aeadDecrypt(key, nonce, associatedData, ciphertext, 0, ciphertext.length);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length)
            throws VaultException, AuthenticationFailedException {
        Objects.checkFromIndexSize(offset, length, input.length);
        AeadEntry e = get(key, AeadEntry.class);
        checkNonce(nonce);
        if (length < AeadAlgorithm.TAG_LENGTH) {
            throw new AuthenticationFailedException();
        }
        e.decryptLock.lock();
        try {
            e.checkLive();
            if (e.decryptor == null) {
                e.decryptor = e.ciphers.take();
            }
            Cipher c = e.decryptor;
            c.init(Cipher.DECRYPT_MODE, e.jcaKey, e.ciphers.params(nonce));
            if (associatedData.length > 0) {
                c.updateAAD(associatedData);
            }
            return c.doFinal(input, offset, length);
        } catch (AEADBadTagException ex) {
            throw new AuthenticationFailedException();
        } catch (GeneralSecurityException ex) {
            throw new AuthenticationFailedException();
        } finally {
            e.decryptLock.unlock();
        }
    }

    private static void checkNonce(byte[] nonce) throws VaultException {
        if (nonce.length != AeadAlgorithm.NONCE_LENGTH) {
            throw new VaultException(ErrorKind.INVALID, "AEAD nonces are 12 bytes, not " + nonce.length);
        }
    }

    @Override
    public void delete(KeyHandle key) throws VaultException {
        checkOpen();
        if (entries.get(key.id()) instanceof KeyPairEntry kp && kp.persistence() == Persistence.PERSISTENT) {
            deletePersistent(key);
            return;
        }
        Entry e = entries.remove(key.id());
        if (e == null) {
            throw notFound(key);
        }
        e.destroy();
    }

    /** Deletes a persistent key pair from memory and storage, or from neither if storing fails. */
    private void deletePersistent(KeyHandle key) throws VaultException {
        storeLock.lock();
        try {
            Entry e = entries.remove(key.id());
            if (e == null) {
                throw notFound(key); // deleted meanwhile by another thread
            }
            saveOrUndo(() -> entries.put(key.id(), e)); // not deleted from storage, so not from memory either
            e.destroy();
        } finally {
            storeLock.unlock();
        }
    }

    private static VaultException notFound(KeyHandle key) {
        return new VaultException(ErrorKind.NOT_FOUND, "no key with id " + key.id() + " in this vault (deleted?)");
    }

    @Override
    public byte[] exportSecret(SecretHandle secret, InsecureSecretAccess access) throws VaultException {
        Objects.requireNonNull(access, "access");
        return get(secret, SecretEntry.class).secret().read();
    }

    /** The number of keys and secrets this vault holds: a caller that forgets to delete its handles shows here. */
    public int size() {
        return entries.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        entries.values().forEach(Entry::destroy);
        entries.clear();
        memory.close();
    }

    @Override
    public String toString() {
        return "SoftwareVault{" + entries.size() + " keys}";
    }
}
