package org.hopseal.vault.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A software vault whose persistent keys (identity keys, channel static keys) and records live in one file,
 * encrypted at rest: Argon2id derives a key from the passphrase, AES-256-GCM encrypts the contents with the header
 * as associated data. Ephemeral keys never touch the disk. The format is documented in
 * {@code docs/file-vault-format.md}.
 *
 * <h2>Security guarantees</h2>
 * No key byte is written in the clear. Every write is atomic and durable (a temporary file in the same folder,
 * fsync, rename, fsync of the folder), so a crash leaves the last completed write or the one before it. A
 * passphrase array passed in is wiped once the key is derived. A file this vault failed to read is never written.
 * One process at a time: an OS lock on {@code PATH.lock}. A new file is refused Argon2id parameters below RFC 9106's
 * second recommendation ({@link KdfParameters#meetsMinimum}); an existing file with weaker ones still opens, with a
 * warning, and {@link #changePassphrase} raises them to the default.
 *
 * <h2>Thread safety</h2>
 * Thread safe; writes are serialized.
 *
 * @since 0.1
 */
public final class FileVault extends SoftwareVault {
    private static final Logger LOG = LoggerFactory.getLogger(FileVault.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;
    /** Tests only: weak Argon2id parameters for speed (see {@link #open(Path, char[], KdfParameters, boolean)}). */
    private final boolean allowWeakKdf;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ReentrantLock writeLock = new ReentrantLock();
    private KdfParameters kdf;
    private byte[] salt;
    private byte[] check;
    private AeadKeyHandle fileKey;
    private boolean loading;

    private FileVault(Path path, FileChannel lockChannel, FileLock lock, boolean allowWeakKdf) {
        this.path = path;
        this.allowWeakKdf = allowWeakKdf;
        this.lockChannel = lockChannel;
        this.lock = lock;
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
     *     RFC 9106's second recommendation ({@link KdfParameters#meetsMinimum})
     */
    public static FileVault open(Path path, char[] passphrase, KdfParameters newFileKdf) throws VaultException {
        return open(path, passphrase, newFileKdf, false);
    }

    /**
     * Tests only (package-private on purpose, not API): as {@link #open(Path, char[], KdfParameters)}, but
     * {@code allowWeakKdf} lets a test create a file with cheap Argon2id parameters so that the suite stays fast.
     */
    static FileVault open(Path path, char[] passphrase, KdfParameters newFileKdf, boolean allowWeakKdf) throws VaultException {
        try {
            Path abs = path.toAbsolutePath();
            if (!allowWeakKdf && !newFileKdf.meetsMinimum() && !Files.exists(abs)) {
                throw weakParameters(abs, newFileKdf); // before the lock file, so a refusal leaves nothing behind
            }
            Path lockPath = abs.resolveSibling(abs.getFileName() + ".lock");
            FileChannel ch;
            try {
                ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new VaultException(ErrorKind.UNAVAILABLE, "cannot open the lock file " + lockPath + ": " + e.getMessage(), e);
            }
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException | IOException e) {
                lock = null;
            }
            if (lock == null) {
                closeQuietly(ch);
                throw new VaultException(ErrorKind.UNAVAILABLE, "the vault " + abs + " is in use by another process (or already open in this one)");
            }
            FileVault v = new FileVault(abs, ch, lock, allowWeakKdf);
            try {
                if (Files.exists(abs)) {
                    v.load(passphrase);
                } else {
                    v.create(passphrase, newFileKdf);
                }
            } catch (VaultException | RuntimeException e) {
                v.close();
                throw e;
            }
            return v;
        } finally {
            Arrays.fill(passphrase, '\0');
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

    private static VaultException weakParameters(Path file, KdfParameters kdf) {
        return new VaultException(ErrorKind.INVALID, "refusing to create the vault " + file + " with weak Argon2id parameters ("
                + kdf.describe() + "): a new vault needs at least " + KdfParameters.MIN_MEMORY_KIB + " KiB, and memory"
                + " times passes of at least " + KdfParameters.MIN_MEMORY_KIB_TIMES_ITERATIONS + " KiB (RFC 9106's second"
                + " recommendation is " + KdfParameters.DEFAULT.describe() + ", the default: leave out the kdf- parameters)");
    }

    private void create(char[] passphrase, KdfParameters params) throws VaultException {
        if (!allowWeakKdf && !params.meetsMinimum()) {
            throw weakParameters(path, params);
        }
        this.kdf = params;
        this.salt = random(VaultFileFormat.SALT);
        useKey(kdf.derive(passphrase, salt));
        write();
    }

    private void load(char[] passphrase) throws VaultException {
        byte[] file;
        try {
            file = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new VaultException(ErrorKind.UNAVAILABLE, "cannot read the vault file " + path + ": " + e.getMessage(), e);
        }
        VaultFileFormat.Header h = VaultFileFormat.parseHeader(file);
        this.kdf = h.kdf();
        if (!kdf.meetsMinimum() && !allowWeakKdf) {
            LOG.warn("The vault {} uses weak Argon2id parameters ({}), below RFC 9106's second recommendation ({}): a"
                    + " stolen copy is cheaper to guess the passphrase of. Changing the passphrase raises them.",
                    path, kdf.describe(), KdfParameters.DEFAULT.describe());
        }
        this.salt = h.salt();
        useKey(kdf.derive(passphrase, salt));
        if (!MessageDigest.isEqual(check, h.check())) {
            throw new VaultException(ErrorKind.AUTHENTICATION, "wrong passphrase for the vault " + path
                    + " (or its header's salt or check value is corrupted)");
        }
        byte[] plaintext;
        try {
            plaintext = aeadDecrypt(fileKey, h.nonce(), h.bytes(), Arrays.copyOfRange(file, VaultFileFormat.HEADER_LENGTH, file.length));
        } catch (AuthenticationFailedException e) {
            throw new VaultException(ErrorKind.INVALID, "the vault file " + path + " is corrupted: its contents or tag fail authentication");
        }
        VaultFileFormat.Contents c;
        try {
            c = VaultFileFormat.decodeContents(plaintext);
        } catch (DecodeException e) {
            throw new VaultException(ErrorKind.INVALID, "the vault file " + path + " has malformed contents: " + e.getMessage());
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        loading = true;
        try {
            for (Map.Entry<String, Map.Entry<KeyType, byte[]>> e : c.keys().entrySet()) {
                restoreKeyPair(e.getKey(), e.getValue().getKey(), e.getValue().getValue(), Persistence.PERSISTENT);
            }
            c.records().forEach(this::restoreRecord);
        } finally {
            loading = false;
            c.wipe();
        }
    }

    /** Installs a derived file key (wiping the array) and computes its check value. */
    private void useKey(byte[] key) throws VaultException {
        SecretHandle secret;
        try {
            secret = importSecret(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        AeadKeyHandle previous = fileKey;
        fileKey = toAeadKey(secret, AeadAlgorithm.AES_256_GCM);
        check = Arrays.copyOf(hmac(HashAlgorithm.SHA256, secret, VaultFileFormat.CHECK_LABEL), VaultFileFormat.CHECK);
        delete(secret);
        if (previous != null) {
            delete(previous);
        }
    }

    /**
     * Re-encrypts the vault under {@code newPassphrase} (a fresh salt and the current parameters, raised to the
     * default if they were below the minimum for new files); the array is wiped. If the write fails, the old
     * passphrase stays in force.
     */
    public void changePassphrase(char[] newPassphrase) throws VaultException {
        writeLock.lock();
        try {
            KdfParameters newKdf = kdf.meetsMinimum() || allowWeakKdf ? kdf : KdfParameters.DEFAULT;
            byte[] newSalt = random(VaultFileFormat.SALT);
            SecretHandle secret;
            byte[] key = newKdf.derive(newPassphrase, newSalt);
            try {
                secret = importSecret(key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
            AeadKeyHandle newKey;
            byte[] newCheck;
            try {
                newKey = toAeadKey(secret, AeadAlgorithm.AES_256_GCM);
                newCheck = Arrays.copyOf(hmac(HashAlgorithm.SHA256, secret, VaultFileFormat.CHECK_LABEL), VaultFileFormat.CHECK);
            } finally {
                delete(secret);
            }
            KdfParameters oldKdf = kdf;
            byte[] oldSalt = salt;
            AeadKeyHandle oldKey = fileKey;
            byte[] oldCheck = check;
            kdf = newKdf;
            salt = newSalt;
            fileKey = newKey;
            check = newCheck;
            try {
                write();
            } catch (VaultException | RuntimeException e) {
                kdf = oldKdf;
                salt = oldSalt;
                fileKey = oldKey;
                check = oldCheck;
                delete(newKey);
                throw e;
            }
            delete(oldKey);
        } finally {
            Arrays.fill(newPassphrase, '\0');
            writeLock.unlock();
        }
    }

    @Override
    protected void persistentKeysChanged() throws VaultException {
        if (!loading) {
            write();
        }
    }

    /** Writes the whole vault atomically and durably. */
    private void write() throws VaultException {
        writeLock.lock();
        try {
            VaultFileFormat.Contents c = new VaultFileFormat.Contents(persistentKeyPairs(), allRecords());
            byte[] plaintext = VaultFileFormat.encodeContents(c);
            c.wipe();
            byte[] nonce = random(VaultFileFormat.NONCE);
            byte[] header = VaultFileFormat.header(kdf, salt, check, nonce);
            byte[] ciphertext;
            try {
                ciphertext = aeadEncrypt(fileKey, nonce, header, plaintext);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            atomicWrite(ByteBuffer.allocate(header.length + ciphertext.length).put(header).put(ciphertext).array());
        } finally {
            writeLock.unlock();
        }
    }

    private void atomicWrite(byte[] bytes) throws VaultException {
        Path dir = path.getParent();
        Path tmp = dir.resolve("." + path.getFileName() + ".tmp-" + HexFormat.of().formatHex(random(6)));
        try {
            try (FileChannel ch = createOwnerOnly(tmp)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename atomically", e);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // some platforms cannot open a folder for fsync; the rename is still atomic
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new VaultException(ErrorKind.UNAVAILABLE, "could not write the vault file " + path + ": " + e.getMessage()
                    + "; the vault on disk is unchanged", e);
        }
    }

    private static FileChannel createOwnerOnly(Path tmp) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(tmp, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(tmp, options);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file " + tmp + " exists already", e);
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

    @Override
    public void close() {
        super.close();
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the channel closes below
        }
        closeQuietly(lockChannel);
    }

    @Override
    public String toString() {
        return "FileVault{" + path + "}";
    }

    /** The Argon2id parameters in this vault's header. */
    KdfParameters kdf() {
        return kdf;
    }

    /** Testing only: the private key bytes this vault stores, to search the file for them. The caller wipes them. */
    List<byte[]> storedSecretsForTesting() {
        return persistentKeyPairs().values().stream().map(Map.Entry::getValue).toList();
    }

}
