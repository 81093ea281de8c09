package org.hopseal.vault.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
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
import org.hopseal.api.vault.PassphraseProtected;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.hopseal.vault.software.store.StoredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A software vault whose persistent keys (identity keys, channel static keys) and records live in one file,
 * encrypted at rest: Argon2id derives a key from the passphrase, AES-256-GCM encrypts the contents with the header
 * as associated data. Ephemeral keys (KEM keys are always ephemeral) never touch the disk. The format is documented in
 * {@code docs/file-vault-format.md}.
 *
 * <p>The keys are held by a {@link SoftwareVault} made with {@link SoftwareVault#persistent}, which hands this vault
 * its persistent state (private keys included, wiped after) whenever it changes; the file key is held by a second
 * software vault of its own. Every vault operation is the software vault's.
 *
 * <h2>Security guarantees</h2>
 * No key byte is written in the clear. Every write is atomic and durable (a temporary file in the same folder,
 * fsync, rename, fsync of the folder), so a crash leaves the last completed write or the one before it. A
 * passphrase array passed in is wiped once the key is derived. A file this vault failed to read is never written.
 * One process at a time: an OS lock on {@code PATH.lock} (a read-only open, below, takes none and writes nothing).
 * A new file is refused Argon2id parameters below RFC 9106's second recommendation
 * ({@link KdfParameters#meetsMinimum}) and an empty passphrase; an existing file with weaker parameters still opens,
 * with a warning, and {@link #changePassphrase(char[])} raises them to the default.
 *
 * <h2>Read-only</h2>
 * {@link #openReadOnly} opens a vault that another process may hold, for a command that only reads it (loads an
 * identity and signs with its key) while a node runs on it. It takes no lock (it neither creates nor touches
 * {@code PATH.lock}), so it neither waits for nor blocks the holder; it refuses a file that does not exist (never
 * creates one) and reads the file once, with the same checks as {@link #open}. Since every write replaces the file
 * by an atomic rename, that one read sees one complete version: the vault is a snapshot of the file as it was when
 * opened. What the holder writes later (a new record, a new key, a deleted or rotated key) is not seen until the file
 * is opened again, so a reader can still sign with a key the holder has just deleted.
 *
 * <p>Opened read-only, the vault refuses every operation that would change its stored keys or records, with
 * {@link ErrorKind#UNSUPPORTED} ("the vault PATH is open read-only: ...") and without changing anything in memory or
 * on disk: {@link #generateSigningKey} (signing keys are always persistent), {@link #generateAgreementKey} and
 * {@link #importAgreementKey} with {@link Persistence#PERSISTENT}, {@link #delete(KeyHandle) delete} of a stored key
 * pair, {@link #putRecord}, {@link #deleteRecord} (even of a record it does not hold) and {@link #changePassphrase(char[])}.
 * Everything else works as usual, in memory: signing, public keys, {@link #find}, listing keys, reading records, and
 * the secure channel's operations, including {@link Persistence#EPHEMERAL} agreement keys (which never touch the disk
 * in any vault) and deleting them, KEM keys (always ephemeral), secrets and AEAD keys. As a second guard, the software vault's store of a
 * read-only vault refuses every write in the same way.
 *
 * <h2>Thread safety</h2>
 * Thread safe; writes are serialized.
 *
 * @since 0.1
 */
public final class FileVault implements SigningVault, SecureChannelVault, PassphraseProtected {
    private static final Logger LOG = LoggerFactory.getLogger(FileVault.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    /** Tests only: weak Argon2id parameters for speed (see {@link #open(Path, char[], KdfParameters, boolean)}). */
    private final boolean allowWeakKdf;
    /** Opened with {@link #openReadOnly}: no lock, and nothing is ever written. */
    private final boolean readOnly;
    /** {@code null} when {@link #readOnly}. */
    private final FileChannel lockChannel;
    /** {@code null} when {@link #readOnly}. */
    private final FileLock lock;
    /** Writes the file; never used when {@link #readOnly}. */
    private final VaultFileWriter writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Holds the file key, apart from the keys the file stores. */
    private final SoftwareVault crypto;
    /** Holds the keys and records the file stores, and does every vault operation. */
    private final SoftwareVault keys;
    /** Replaced only with {@link #writeLock} held. */
    private volatile FileKey fileKey;

    /** The key the file is encrypted with, and the header values that go with it. */
    private record FileKey(KdfParameters kdf, byte[] salt, byte[] check, AeadKeyHandle handle) {
    }

    private FileVault(Path path, FileChannel lockChannel, FileLock lock, VaultFileWriter writer, boolean allowWeakKdf,
            SoftwareVault crypto, FileKey fileKey, StoredState restored) throws VaultException {
        this.path = path;
        this.allowWeakKdf = allowWeakKdf;
        this.readOnly = lock == null;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writer = writer;
        this.crypto = crypto;
        this.fileKey = fileKey;
        this.keys = SoftwareVault.persistent(restored, readOnly ? this::refuseWrite : this::write);
    }

    /** Opens the vault at {@code path}, creating it with the default Argon2id parameters if it does not exist. */
    public static FileVault open(Path path, char[] passphrase) throws VaultException {
        return open(path, passphrase, KdfParameters.DEFAULT);
    }

    /**
     * Opens the vault at {@code path}; a new file is created with {@code newFileKdf} (an existing file keeps the
     * parameters in its header). {@code passphrase} is wiped before this returns.
     *
     * @throws VaultException {@link ErrorKind#INVALID} if the file does not exist and {@code newFileKdf} is below
     *     RFC 9106's second recommendation ({@link KdfParameters#meetsMinimum}), or {@code passphrase} is empty;
     *     {@link ErrorKind#UNAVAILABLE} if another process holds the vault
     */
    public static FileVault open(Path path, char[] passphrase, KdfParameters newFileKdf) throws VaultException {
        return open(path, passphrase, newFileKdf, false);
    }

    /**
     * Tests only (package-private on purpose, not API): as {@link #open(Path, char[], KdfParameters)}, but
     * {@code allowWeakKdf} lets a test create a file with cheap Argon2id parameters so that the suite stays fast.
     */
    static FileVault open(Path path, char[] passphrase, KdfParameters newFileKdf, boolean allowWeakKdf) throws VaultException {
        return open(path, passphrase, newFileKdf, allowWeakKdf, AtomicFileWriter.INSTANCE);
    }

    /** Tests only: as {@link #open(Path, char[], KdfParameters, boolean)}, writing the file with {@code writer}. */
    static FileVault open(Path path, char[] passphrase, KdfParameters newFileKdf, boolean allowWeakKdf, VaultFileWriter writer)
            throws VaultException {
        return lockAndOpen(path, passphrase, Objects.requireNonNull(newFileKdf, "newFileKdf"), allowWeakKdf, writer);
    }

    /**
     * Takes the lock and opens the vault; {@code newFileKdf} {@code null} refuses a file that does not exist, else a new
     * one is created with it. {@code passphrase} is wiped before this returns.
     */
    private static FileVault lockAndOpen(Path path, char[] passphrase, KdfParameters newFileKdf, boolean allowWeakKdf,
            VaultFileWriter writer) throws VaultException {
        try {
            Path abs = path.toAbsolutePath();
            if (!Files.exists(abs)) { // before the lock file, so a refusal leaves nothing behind
                if (newFileKdf == null) {
                    throw missing(abs, "it is not created here");
                }
                refuseNewFile(abs, passphrase, newFileKdf, allowWeakKdf);
            }
            Path lockPath = abs.resolveSibling(abs.getFileName() + ".lock");
            FileChannel ch;
            try {
                ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new VaultException(ErrorKind.UNAVAILABLE, "cannot open the lock file " + lockPath + ": " + reason(e), e);
            }
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
                lock = null;
            }
            if (lock == null) {
                closeQuietly(ch);
                throw new VaultException(ErrorKind.UNAVAILABLE, "the vault " + abs + " is in use by another process (or already"
                        + " open in this one); a read-only open (file:PATH?read-only) works meanwhile");
            }
            SoftwareVault crypto = new SoftwareVault();
            try {
                if (Files.exists(abs)) {
                    return load(abs, readFile(abs), ch, lock, writer, allowWeakKdf, crypto, passphrase);
                }
                if (newFileKdf == null) {
                    throw missing(abs, "it is not created here");
                }
                return create(abs, ch, lock, writer, allowWeakKdf, crypto, passphrase, newFileKdf);
            } catch (VaultException | RuntimeException e) {
                crypto.close();
                release(lock, ch);
                throw e;
            }
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * Opens the existing vault at {@code path} read-only, whether or not another process holds it (see "Read-only"
     * above): no lock, one read of the file, and every change refused. {@code passphrase} is wiped before this
     * returns.
     *
     * @throws VaultException {@link ErrorKind#NOT_FOUND} if the file does not exist (none is created);
     *     {@link ErrorKind#AUTHENTICATION} for a wrong passphrase, and the other errors of {@link #open}
     */
    public static FileVault openReadOnly(Path path, char[] passphrase) throws VaultException {
        try {
            Path abs = path.toAbsolutePath();
            byte[] file;
            try {
                file = Files.readAllBytes(abs);
            } catch (NoSuchFileException e) {
                throw missing(abs, "a read-only open creates none");
            } catch (IOException e) {
                throw cannotRead(abs, e);
            }
            SoftwareVault crypto = new SoftwareVault();
            try {
                return load(abs, file, null, null, AtomicFileWriter.INSTANCE, false, crypto, passphrase);
            } catch (VaultException | RuntimeException e) {
                crypto.close();
                throw e;
            }
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * Re-encrypts the existing vault at {@code path} under {@code newPassphrase}: opens it with {@code passphrase}
     * (taking its lock), changes the passphrase ({@link #changePassphrase(char[])}) and closes it. Both arrays are
     * wiped before this returns. If this fails or is interrupted, the file still opens with the old passphrase and
     * holds every key.
     *
     * @throws VaultException {@link ErrorKind#NOT_FOUND} if the file does not exist (none is created);
     *     {@link ErrorKind#AUTHENTICATION} for a wrong {@code passphrase}; {@link ErrorKind#UNAVAILABLE} if another
     *     process holds the vault or the new file cannot be written; {@link ErrorKind#INVALID} for an empty new
     *     passphrase
     */
    public static void changePassphrase(Path path, char[] passphrase, char[] newPassphrase) throws VaultException {
        try (FileVault v = lockAndOpen(path, passphrase, null, false, AtomicFileWriter.INSTANCE)) {
            v.changePassphrase(newPassphrase);
        } finally {
            Arrays.fill(newPassphrase, '\0');
        }
    }

    /** This vault in every role (identity and channel keys both persist here), with a software verifier. */
    public static Vaults vaults(Path path, char[] passphrase) throws VaultException {
        FileVault v = open(path, passphrase);
        return new Vaults(v, v, new SoftwareVerifier());
    }

    public Path path() {
        return path;
    }

    /** Whether this vault was opened with {@link #openReadOnly}. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The refusal of a change to a read-only vault; {@code what} says which. */
    private VaultException readOnlyRefusal(String what) {
        return new VaultException(ErrorKind.UNSUPPORTED, "the vault " + path + " is open read-only: " + what);
    }

    /** Refuses {@code what} if this vault is read-only. */
    private void checkWritable(String what) throws VaultException {
        if (readOnly) {
            throw readOnlyRefusal(what);
        }
    }

    /** The software vault's store when read-only: the second guard, behind the checks of each operation. */
    private void refuseWrite(StoredState state) throws VaultException {
        throw readOnlyRefusal("its stored keys and records cannot change");
    }

    /** The refusal of a vault file that does not exist; {@code why} says why none is created. */
    static VaultException missing(Path file, String why) {
        return new VaultException(ErrorKind.NOT_FOUND, "the vault file " + file + " does not exist (" + why + ")");
    }

    /** Refuses to create {@code file} with weak parameters or an empty passphrase. */
    private static void refuseNewFile(Path file, char[] passphrase, KdfParameters kdf, boolean allowWeakKdf) throws VaultException {
        if (!allowWeakKdf && !kdf.meetsMinimum()) {
            throw weakParameters(file, kdf);
        }
        if (passphrase.length == 0) {
            throw new VaultException(ErrorKind.INVALID, "refusing to create the vault " + file + " with an empty passphrase");
        }
    }

    private static VaultException weakParameters(Path file, KdfParameters kdf) {
        return new VaultException(ErrorKind.INVALID, "refusing to create the vault " + file + " with weak Argon2id parameters ("
                + kdf.describe() + "): a new vault needs at least " + KdfParameters.MIN_MEMORY_KIB + " KiB, and memory"
                + " times passes of at least " + KdfParameters.MIN_MEMORY_KIB_TIMES_ITERATIONS + " KiB (RFC 9106's second"
                + " recommendation is " + KdfParameters.DEFAULT.describe() + ", the default: leave out the kdf- parameters)");
    }

    private static FileVault create(Path path, FileChannel lockChannel, FileLock lock, VaultFileWriter writer, boolean allowWeakKdf,
            SoftwareVault crypto, char[] passphrase, KdfParameters params) throws VaultException {
        refuseNewFile(path, passphrase, params, allowWeakKdf);
        FileKey key = deriveKey(crypto, passphrase, params, random(VaultFileFormat.SALT));
        FileVault v = new FileVault(path, lockChannel, lock, writer, allowWeakKdf, crypto, key, StoredState.empty());
        try {
            v.write(StoredState.empty());
        } catch (VaultException | RuntimeException e) {
            v.keys.close();
            throw e;
        }
        return v;
    }

    /** The vault held in {@code file}, the bytes read from {@code path}; read-only if {@code lock} is {@code null}. */
    private static FileVault load(Path path, byte[] file, FileChannel lockChannel, FileLock lock, VaultFileWriter writer,
            boolean allowWeakKdf, SoftwareVault crypto, char[] passphrase) throws VaultException {
        VaultFileFormat.Header h = VaultFileFormat.parseHeader(file);
        if (!h.kdf().meetsMinimum() && !allowWeakKdf) {
            LOG.warn("The vault {} uses weak Argon2id parameters ({}), below RFC 9106's second recommendation ({}): a"
                    + " stolen copy is cheaper to guess the passphrase of. Changing the passphrase raises them.",
                    path, h.kdf().describe(), KdfParameters.DEFAULT.describe());
        }
        FileKey key = deriveKey(crypto, passphrase, h.kdf(), h.salt());
        if (!MessageDigest.isEqual(key.check(), h.check())) {
            throw new VaultException(ErrorKind.AUTHENTICATION, "wrong passphrase for the vault " + path
                    + " (or its header's salt or check value is corrupted)");
        }
        byte[] plaintext = decrypt(path, crypto, key, h, file);
        StoredState restored;
        try {
            restored = VaultFileFormat.decodeContents(plaintext);
        } catch (DecodeException e) {
            throw new VaultException(ErrorKind.INVALID, "the vault file " + path + " has malformed contents: " + e.getMessage());
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        try {
            return new FileVault(path, lockChannel, lock, writer, allowWeakKdf, crypto, key, restored);
        } finally {
            restored.wipe();
        }
    }

    private static byte[] readFile(Path path) throws VaultException {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw cannotRead(path, e);
        }
    }

    private static VaultException cannotRead(Path path, IOException e) {
        return new VaultException(ErrorKind.UNAVAILABLE, "cannot read the vault file " + path + ": " + reason(e), e);
    }

    /** Why a file operation failed, without the path that a {@link FileSystemException}'s message starts with. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    }

    /** The plaintext contents of {@code file} (the caller wipes them), whose header is {@code h}. */
    private static byte[] decrypt(Path path, SoftwareVault crypto, FileKey key, VaultFileFormat.Header h, byte[] file)
            throws VaultException {
        try {
            return crypto.aeadDecrypt(key.handle(), h.nonce(), h.bytes(), Arrays.copyOfRange(file, VaultFileFormat.HEADER_LENGTH, file.length));
        } catch (AuthenticationFailedException e) {
            throw new VaultException(ErrorKind.INVALID, "the vault file " + path + " is corrupted: its contents or tag fail authentication");
        }
    }

    /** Derives the file key from a passphrase (not wiped here) and computes its check value. */
    private static FileKey deriveKey(SoftwareVault crypto, char[] passphrase, KdfParameters kdf, byte[] salt) throws VaultException {
        byte[] derived = kdf.derive(passphrase, salt);
        SecretHandle secret;
        try {
            secret = crypto.importSecret(derived);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
        try {
            AeadKeyHandle handle = crypto.toAeadKey(secret, AeadAlgorithm.AES_256_GCM);
            byte[] check = Arrays.copyOf(crypto.hmac(HashAlgorithm.SHA256, secret, VaultFileFormat.CHECK_LABEL), VaultFileFormat.CHECK);
            return new FileKey(kdf, salt, check, handle);
        } finally {
            crypto.delete(secret);
        }
    }

    /**
     * Re-encrypts the vault under {@code newPassphrase} (a fresh salt and the current parameters, raised to the
     * default if they were below the minimum for new files); the array is wiped. If the write fails, the old
     * passphrase stays in force. The contents re-encrypted are the file's, which always hold the vault's persistent
     * state: every change of it is written before it takes effect.
     *
     * @throws VaultException {@link ErrorKind#UNSUPPORTED} if the vault is read-only, {@link ErrorKind#INVALID} if
     *     {@code newPassphrase} is empty (the array is wiped all the same); {@link ErrorKind#UNAVAILABLE} if the file
     *     cannot be written
     */
    @Override
    public void changePassphrase(char[] newPassphrase) throws VaultException {
        if (readOnly || newPassphrase.length == 0) {
            Arrays.fill(newPassphrase, '\0');
            throw readOnly ? readOnlyRefusal("cannot change its passphrase")
                    : new VaultException(ErrorKind.INVALID, "refusing an empty passphrase for the vault " + path);
        }
        writeLock.lock();
        try {
            FileKey old = fileKey;
            KdfParameters newKdf = old.kdf().meetsMinimum() || allowWeakKdf ? old.kdf() : KdfParameters.DEFAULT;
            FileKey next = deriveKey(crypto, newPassphrase, newKdf, random(VaultFileFormat.SALT));
            try {
                byte[] file = readFile(path);
                writeEncrypted(decrypt(path, crypto, old, VaultFileFormat.parseHeader(file), file), next);
            } catch (VaultException | RuntimeException e) {
                crypto.delete(next.handle());
                throw e;
            }
            fileKey = next;
            crypto.delete(old.handle());
        } finally {
            Arrays.fill(newPassphrase, '\0');
            writeLock.unlock();
        }
    }

    /** Writes {@code state} atomically and durably: the software vault's store. */
    private void write(StoredState state) throws VaultException {
        writeLock.lock();
        try {
            writeEncrypted(VaultFileFormat.encodeContents(state), fileKey);
        } finally {
            writeLock.unlock();
        }
    }

    /** Encrypts {@code plaintext} (wiped) under {@code key} with a fresh nonce and writes the file. */
    private void writeEncrypted(byte[] plaintext, FileKey key) throws VaultException {
        byte[] ciphertext;
        byte[] header;
        try {
            byte[] nonce = random(VaultFileFormat.NONCE);
            header = VaultFileFormat.header(key.kdf(), key.salt(), key.check(), nonce);
            ciphertext = crypto.aeadEncrypt(key.handle(), nonce, header, plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        atomicWrite(ByteBuffer.allocate(header.length + ciphertext.length).put(header).put(ciphertext).array());
    }

    /** Writes {@code bytes} as the file, atomically and durably. */
    private void atomicWrite(byte[] bytes) throws VaultException {
        try {
            writer.replace(path, bytes);
        } catch (IOException e) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "could not write the vault file " + path + ": " + reason(e)
                    + "; the vault on disk is unchanged", e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void release(FileLock lock, FileChannel channel) {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the channel closes below
        }
        closeQuietly(channel);
    }

    // ---- the software vault's operations ----------------------------------------------------------------------

    @Override
    public Set<KeyType> signingKeyTypes() {
        return keys.signingKeyTypes();
    }

    @Override
    public SigningKeyHandle generateSigningKey(KeyType type) throws VaultException {
        checkWritable("cannot generate a signing key (signing keys are stored)");
        return keys.generateSigningKey(type);
    }

    @Override
    public PublicKey publicKey(SigningKeyHandle key) throws VaultException {
        return keys.publicKey(key);
    }

    @Override
    public Optional<SigningKeyHandle> find(PublicKey publicKey) throws VaultException {
        return keys.find(publicKey);
    }

    @Override
    public List<SigningKeyHandle> signingKeys() throws VaultException {
        return keys.signingKeys();
    }

    @Override
    public byte[] sign(SigningKeyHandle key, byte[] data) throws VaultException {
        return keys.sign(key, data);
    }

    @Override
    public void delete(SigningKeyHandle key) throws VaultException {
        delete((KeyHandle) key);
    }

    @Override
    public void putRecord(String name, byte[] value) throws VaultException {
        checkWritable("cannot put the record '" + name + "'");
        keys.putRecord(name, value);
    }

    @Override
    public Optional<byte[]> record(String name) throws VaultException {
        return keys.record(name);
    }

    @Override
    public List<String> recordNames() throws VaultException {
        return keys.recordNames();
    }

    @Override
    public void deleteRecord(String name) throws VaultException {
        checkWritable("cannot delete the record '" + name + "'");
        keys.deleteRecord(name);
    }

    @Override
    public Set<KeyType> agreementKeyTypes() {
        return keys.agreementKeyTypes();
    }

    @Override
    public Set<AeadAlgorithm> aeadAlgorithms() {
        return keys.aeadAlgorithms();
    }

    @Override
    public Set<HashAlgorithm> hashAlgorithms() {
        return keys.hashAlgorithms();
    }

    @Override
    public AgreementKeyHandle generateAgreementKey(KeyType type, Persistence persistence) throws VaultException {
        if (persistence == Persistence.PERSISTENT) {
            checkWritable("cannot generate a persistent key (ephemeral ones it can)");
        }
        return keys.generateAgreementKey(type, persistence);
    }

    @Override
    public AgreementKeyHandle importAgreementKey(KeyType type, byte[] privateKey, Persistence persistence) throws VaultException {
        if (persistence == Persistence.PERSISTENT) {
            checkWritable("cannot import a persistent key (ephemeral ones it can)");
        }
        return keys.importAgreementKey(type, privateKey, persistence);
    }

    @Override
    public PublicKey publicKey(AgreementKeyHandle key) throws VaultException {
        return keys.publicKey(key);
    }

    @Override
    public List<AgreementKeyHandle> agreementKeys() throws VaultException {
        return keys.agreementKeys();
    }

    @Override
    public SecretHandle agree(AgreementKeyHandle key, PublicKey peer) throws VaultException {
        return keys.agree(key, peer);
    }

    @Override
    public SecretHandle importSecret(byte[] secret) throws VaultException {
        return keys.importSecret(secret);
    }

    @Override
    public List<SecretHandle> hkdf(HashAlgorithm hash, SecretHandle salt, SecretHandle ikm, byte[] info, List<Integer> lengths)
            throws VaultException {
        return keys.hkdf(hash, salt, ikm, info, lengths);
    }

    @Override
    public byte[] hmac(HashAlgorithm hash, SecretHandle key, byte[] data) throws VaultException {
        return keys.hmac(hash, key, data);
    }

    @Override
    public AeadKeyHandle toAeadKey(SecretHandle secret, AeadAlgorithm algorithm) throws VaultException {
        return keys.toAeadKey(secret, algorithm);
    }

    @Override
    public AeadKeyHandle rekey(AeadKeyHandle key) throws VaultException {
        return keys.rekey(key);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext) throws VaultException {
        return keys.aeadEncrypt(key, nonce, associatedData, plaintext);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] plaintext, int headroom)
            throws VaultException {
        return keys.aeadEncrypt(key, nonce, associatedData, plaintext, headroom);
    }

    @Override
    public byte[] aeadEncrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] head, byte[] body,
            int bodyOffset, int bodyLength, int headroom) throws VaultException {
        return keys.aeadEncrypt(key, nonce, associatedData, head, body, bodyOffset, bodyLength, headroom);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws VaultException, AuthenticationFailedException {
        return keys.aeadDecrypt(key, nonce, associatedData, ciphertext);
    }

    @Override
    public byte[] aeadDecrypt(AeadKeyHandle key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length)
            throws VaultException, AuthenticationFailedException {
        return keys.aeadDecrypt(key, nonce, associatedData, input, offset, length);
    }

    @Override
    public SecretHandle concatenate(List<SecretHandle> parts) throws VaultException {
        return keys.concatenate(parts);
    }

    @Override
    public byte[] xeddsaSign(AgreementKeyHandle key, byte[] message) throws VaultException {
        return keys.xeddsaSign(key, message);
    }

    /** KEM keys are always ephemeral: they live in the software vault's memory only and are never written to the file. */
    @Override
    public Set<KemAlgorithm> kemAlgorithms() {
        return keys.kemAlgorithms();
    }

    @Override
    public KemKeyHandle generateKemKey(KemAlgorithm algorithm) throws VaultException {
        return keys.generateKemKey(algorithm);
    }

    @Override
    public KemKeyHandle importKemKey(KemAlgorithm algorithm, byte[] seed) throws VaultException {
        return keys.importKemKey(algorithm, seed);
    }

    @Override
    public byte[] kemPublicKey(KemKeyHandle key) throws VaultException {
        return keys.kemPublicKey(key);
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey) throws VaultException {
        return keys.encapsulate(algorithm, publicKey);
    }

    @Override
    public Encapsulation encapsulate(KemAlgorithm algorithm, byte[] publicKey, byte[] randomness) throws VaultException {
        return keys.encapsulate(algorithm, publicKey, randomness);
    }

    @Override
    public SecretHandle decapsulate(KemKeyHandle key, byte[] ciphertext) throws VaultException {
        return keys.decapsulate(key, ciphertext);
    }

    @Override
    public void delete(KeyHandle key) throws VaultException {
        if (readOnly && isStored(key)) {
            throw readOnlyRefusal("cannot delete the stored key " + key.id());
        }
        keys.delete(key);
    }

    /** Whether {@code key} is one of the stored key pairs: every signing key, and the persistent agreement keys. */
    private boolean isStored(KeyHandle key) throws VaultException {
        return keys.signingKeys().stream().anyMatch(h -> h.id().equals(key.id()))
                || keys.agreementKeys().stream().anyMatch(h -> h.id().equals(key.id()));
    }

    @Override
    public byte[] exportSecret(SecretHandle secret, InsecureSecretAccess access) throws VaultException {
        return keys.exportSecret(secret, access);
    }

    /** Wipes the keys and the file key from memory and releases the lock, if held; the file stays as last written. */
    @Override
    public void close() {
        keys.close();
        crypto.close();
        if (lock != null) {
            release(lock, lockChannel);
        }
    }

    @Override
    public String toString() {
        return "FileVault{" + path + (readOnly ? ", read-only}" : "}");
    }
}
