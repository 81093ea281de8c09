package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileVault#openReadOnly} and {@code file:PATH?read-only}: no lock, one read, every change refused. The writer
 * here is another instance in this JVM (a read-only open takes no lock, so the JVM's own lock table does not matter);
 * {@link CrashSafetyTest} holds the vault from another process.
 */
class ReadOnlyFileVaultTest {
    private static final KdfParameters FAST = FileVaultContractTest.FAST;
    private static final byte[] MESSAGE = "a ticket".getBytes();
    private static final byte[] P256_PRIVATE = HexFormat.of().parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("alice.vault");
    }

    private Path lockFile() {
        return dir.resolve("alice.vault.lock");
    }

    private FileVault writer() throws VaultException {
        return FileVault.open(file(), "pw".toCharArray(), FAST, true);
    }

    private FileVault reader() throws VaultException {
        return FileVault.openReadOnly(file(), "pw".toCharArray());
    }

    private List<Path> folder() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void whileAnotherInstanceHoldsTheVaultAReadOnlyOpenSignsWithItsKeysAndReadsItsRecords() throws Exception {
        try (FileVault writer = writer()) {
            PublicKey ed = writer.publicKey(writer.generateSigningKey(KeyType.ED25519));
            PublicKey p256 = writer.publicKey(writer.generateSigningKey(KeyType.ECDSA_P256));
            writer.putRecord("identity/alice", new byte[] {1, 2, 3});
            assertThatThrownBy(this::writer).as("the writer holds the lock").hasMessageContaining("in use");
            try (FileVault reader = reader()) {
                assertThat(reader.readOnly()).isTrue();
                assertThat(reader.path()).isEqualTo(file().toAbsolutePath());
                assertThat(reader.toString()).contains("alice.vault").contains("read-only");
                for (PublicKey pub : List.of(ed, p256)) {
                    SigningKeyHandle key = reader.find(pub).orElseThrow();
                    assertThat(reader.publicKey(key)).isEqualTo(pub);
                    new SoftwareVerifier().verify(pub, MESSAGE, reader.sign(key, MESSAGE));
                }
                assertThat(reader.signingKeys()).hasSize(2);
                assertThat(reader.recordNames()).containsExactly("identity/alice");
                assertThat(reader.record("identity/alice")).hasValueSatisfying(r -> assertThat(r).containsExactly(1, 2, 3));
                writer.putRecord("identity/bob", new byte[] {4});
                assertThat(writer.recordNames()).as("a reader does not block the writer").hasSize(2);
            }
            assertThat(writer.readOnly()).isFalse();
            assertThat(writer.toString()).doesNotContain("read-only");
        }
    }

    @Test
    void aReadOnlyOpenNeitherCreatesNorHoldsTheLockFile() throws Exception {
        writer().close();
        Files.delete(lockFile());
        try (FileVault reader = reader()) {
            assertThat(folder()).containsExactly(file());
            try (FileVault writer = writer()) {
                assertThat(writer.signingKeys()).as("a reader does not block a writer's open").isEmpty();
            }
            assertThat(reader.recordNames()).isEmpty();
        }
    }

    @Test
    void everyChangeIsRefusedAndChangesNothingInMemoryOrOnDisk() throws Exception {
        PublicKey ed;
        PublicKey x;
        try (FileVault writer = writer()) {
            ed = writer.publicKey(writer.generateSigningKey(KeyType.ED25519));
            x = writer.publicKey(writer.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT));
            writer.putRecord("identity/alice", new byte[] {1});
        }
        byte[] before = Files.readAllBytes(file());
        List<Path> filesBefore = folder();
        try (FileVault reader = reader()) {
            SigningKeyHandle signing = reader.find(ed).orElseThrow();
            AgreementKeyHandle agreement = reader.agreementKeys().getFirst();
            char[] newPassphrase = "new".toCharArray();
            // Each refused by its own check, before anything changes (the store's refusal is the second guard).
            List<Map.Entry<ThrowingCall, String>> changes = List.of(
                    Map.entry(() -> reader.generateSigningKey(KeyType.ED25519), "cannot generate a signing key"),
                    Map.entry(() -> reader.generateSigningKey(KeyType.ECDSA_P256), "cannot generate a signing key"),
                    Map.entry(() -> reader.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT), "cannot generate a persistent key"),
                    Map.entry(() -> reader.importAgreementKey(KeyType.P256_ECDH, P256_PRIVATE.clone(), Persistence.PERSISTENT),
                            "cannot import a persistent key"),
                    Map.entry(() -> reader.delete(signing), "cannot delete the stored key " + signing.id()),
                    Map.entry(() -> reader.delete((KeyHandle) signing), "cannot delete the stored key " + signing.id()),
                    Map.entry(() -> reader.delete(agreement), "cannot delete the stored key " + agreement.id()),
                    Map.entry(() -> reader.putRecord("identity/new", new byte[] {2}), "cannot put the record 'identity/new'"),
                    Map.entry(() -> reader.putRecord("identity/alice", new byte[] {2}), "cannot put the record 'identity/alice'"),
                    Map.entry(() -> reader.deleteRecord("identity/alice"), "cannot delete the record 'identity/alice'"),
                    Map.entry(() -> reader.deleteRecord("identity/none"), "cannot delete the record 'identity/none'"),
                    Map.entry(() -> reader.changePassphrase(newPassphrase), "cannot change its passphrase"));
            for (Map.Entry<ThrowingCall, String> change : changes) {
                assertHopsealError(ErrorKind.UNSUPPORTED, change.getKey()::run).as(change.getValue())
                        .isInstanceOf(VaultException.class)
                        .hasMessageStartingWith("the vault " + file().toAbsolutePath() + " is open read-only: " + change.getValue());
            }
            assertThat(newPassphrase).containsOnly('\0');

            assertThat(reader.signingKeys()).containsExactly(signing);
            assertThat(reader.agreementKeys()).containsExactly(agreement);
            assertThat(reader.publicKey(agreement)).isEqualTo(x);
            assertThat(reader.recordNames()).containsExactly("identity/alice");
            assertThat(reader.record("identity/alice")).hasValueSatisfying(r -> assertThat(r).containsExactly(1));
            new SoftwareVerifier().verify(ed, MESSAGE, reader.sign(signing, MESSAGE));
        }
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        assertThat(folder()).as("no temporary file either").isEqualTo(filesBefore);
        try (FileVault writer = writer()) {
            assertThat(writer.signingKeys()).hasSize(1);
            assertThat(writer.agreementKeys()).hasSize(1);
            assertThat(writer.recordNames()).containsExactly("identity/alice");
        }
    }

    @Test
    void ephemeralKeysAndSecretsWorkInMemoryAndAreNeverWritten() throws Exception {
        PublicKey stored;
        try (FileVault writer = writer()) {
            writer.generateSigningKey(KeyType.ED25519); // stored keys of both kinds: only they are refused deletion
            stored = writer.publicKey(writer.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT));
        }
        byte[] before = Files.readAllBytes(file());
        try (FileVault reader = reader()) {
            AgreementKeyHandle ours = reader.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            AgreementKeyHandle theirs = reader.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            SecretHandle a = reader.agree(ours, reader.publicKey(theirs));
            SecretHandle b = reader.agree(reader.agreementKeys().getFirst(), reader.publicKey(theirs));
            AgreementKeyHandle imported = reader.importAgreementKey(KeyType.P256_ECDH, P256_PRIVATE.clone(), Persistence.EPHEMERAL);
            KemKeyHandle kem = reader.generateKemKey(KemAlgorithm.ML_KEM_768);
            KemKeyHandle kemFromSeed = reader.importKemKey(KemAlgorithm.ML_KEM_768, new byte[64]);
            Encapsulation sent = reader.encapsulate(KemAlgorithm.ML_KEM_768, reader.kemPublicKey(kem));
            SecretHandle received = reader.decapsulate(kem, sent.ciphertext());
            assertThat(reader.agreementKeys()).as("only the stored key is listed").hasSize(1);
            assertThat(reader.publicKey(reader.agreementKeys().getFirst())).isEqualTo(stored);
            for (KeyHandle k : List.<KeyHandle>of(ours, theirs, imported, a, b, kem, kemFromSeed, sent.sharedSecret(), received)) {
                reader.delete(k);
                assertHopsealError(ErrorKind.NOT_FOUND, () -> reader.delete(k)).as("deleted: " + k);
            }
        }
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void aMissingFileIsRefusedAndNothingIsCreated() throws Exception {
        char[] passphrase = "pw".toCharArray();
        assertHopsealError(ErrorKind.NOT_FOUND, () -> FileVault.openReadOnly(file(), passphrase))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining(file().toAbsolutePath().toString()).hasMessageContaining("does not exist");
        assertThat(passphrase).containsOnly('\0');
        Path nested = dir.resolve("no-such-folder").resolve("v.vault");
        assertHopsealError(ErrorKind.NOT_FOUND, () -> FileVault.openReadOnly(nested, "pw".toCharArray()))
                .hasMessageContaining(nested.toString());
        assertThat(folder()).isEmpty();
    }

    @Test
    void aFileThatCannotBeReadIsUnavailable() throws Exception {
        Files.createDirectories(file());
        assertHopsealError(ErrorKind.UNAVAILABLE, this::reader).hasMessageContaining("cannot read the vault file " + file().toAbsolutePath());
        assertThat(folder()).containsExactly(file());
    }

    @Test
    void aReadOnlyVaultIsASnapshotOfTheFileWhenOpened() throws Exception {
        try (FileVault writer = writer()) {
            writer.putRecord("identity/first", new byte[] {1});
            try (FileVault early = reader()) {
                writer.putRecord("identity/later", new byte[] {2});
                PublicKey later = writer.publicKey(writer.generateSigningKey(KeyType.ED25519));
                assertThat(early.recordNames()).as("written after the open: not seen").containsExactly("identity/first");
                assertThat(early.record("identity/later")).isEmpty();
                assertThat(early.find(later)).isEmpty();
                try (FileVault again = reader()) {
                    assertThat(again.recordNames()).containsExactly("identity/first", "identity/later");
                    new SoftwareVerifier().verify(later, MESSAGE, again.sign(again.find(later).orElseThrow(), MESSAGE));
                }
            }
        }
    }

    @Test
    void aWrongPassphraseOrACorruptedFileIsRefusedAsByANormalOpen() throws Exception {
        try (FileVault writer = writer()) {
            writer.generateSigningKey(KeyType.ED25519);
        }
        byte[] good = Files.readAllBytes(file());
        char[] wrong = "wrong".toCharArray();
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> FileVault.openReadOnly(file(), wrong))
                .isInstanceOf(VaultException.class).hasMessageContaining("wrong passphrase");
        assertThat(wrong).containsOnly('\0');
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        Files.write(file(), bad);
        assertHopsealError(ErrorKind.INVALID, this::reader).hasMessageContaining("corrupted");
        Files.write(file(), "not a vault".getBytes());
        assertHopsealError(ErrorKind.INVALID, this::reader).hasMessageContaining("not a Hopseal vault file");
        assertThat(folder()).containsExactly(file(), lockFile());
    }

    @Test
    void aClosedReadOnlyVaultRefusesItsOperations() throws Exception {
        SigningKeyHandle key;
        try (FileVault writer = writer()) {
            key = writer.generateSigningKey(KeyType.ED25519);
        }
        FileVault reader = reader();
        reader.close();
        assertHopsealError(ErrorKind.SHUTDOWN, () -> reader.sign(key, MESSAGE));
        assertHopsealError(ErrorKind.SHUTDOWN, reader::recordNames);
        reader.close(); // twice is harmless
    }

    // ---- the provider: file:PATH?read-only ----------------------------------------------------------------------

    private static Vaults provider(String spec) throws VaultException {
        return FileVaultProvider.open(VaultSpec.parse(spec), "pw".toCharArray());
    }

    @Test
    void theReadOnlyParameterOpensTheVaultReadOnlyWhileItIsHeld() throws Exception {
        try (FileVault writer = writer()) {
            PublicKey key = writer.publicKey(writer.generateSigningKey(KeyType.ED25519));
            for (String spec : List.of("?read-only", "?read-only=true", "?kdf-iterations=4&read-only", "?read-only&kdf-iterations=4")) {
                try (Vaults v = provider("file:" + file() + spec)) {
                    assertThat(v.identity()).as(spec).isSameAs(v.channel()).isInstanceOfSatisfying(FileVault.class,
                            f -> assertThat(f.readOnly()).isTrue());
                    byte[] signature = v.identity().sign(v.identity().find(key).orElseThrow(), MESSAGE);
                    v.verifier().verify(key, MESSAGE, signature);
                    assertHopsealError(ErrorKind.UNSUPPORTED, () -> v.identity().putRecord("r", new byte[1])).as(spec);
                }
            }
            assertThatThrownBy(() -> provider("file:" + file() + "?read-only=false")).as("read-only=false takes the lock")
                    .hasMessageContaining("in use");
            assertThatThrownBy(() -> provider("file:" + file())).hasMessageContaining("in use");
        }
    }

    @Test
    void aBadOrMisspelledReadOnlyParameterIsRefusedAndCreatesNothing() {
        for (String spec : List.of("?read-only=yes", "?read-only=", "?readonly=true", "?read_only", "?readonly", "?Read-Only")) {
            char[] passphrase = "pw".toCharArray();
            assertHopsealError(ErrorKind.INVALID, () -> FileVaultProvider.open(VaultSpec.parse("file:" + file() + spec), passphrase))
                    .as(spec).isInstanceOf(VaultException.class).hasMessageContaining("parameter");
            assertThat(passphrase).as(spec).containsOnly('\0');
        }
        assertHopsealError(ErrorKind.INVALID, () -> provider("file:" + file() + "?readonly=true"))
                .hasMessageContaining("unknown file vault parameter 'readonly'").hasMessageContaining("read-only");
        assertHopsealError(ErrorKind.INVALID, () -> provider("file:" + file() + "?read-only=yes"))
                .hasMessageContaining("'read-only=yes'");
        assertThat(file()).doesNotExist();
        assertThat(lockFile()).doesNotExist();
    }

    @Test
    void theReadOnlyParameterRefusesAMissingFileAndCreatesNone() throws Exception {
        assertHopsealError(ErrorKind.NOT_FOUND, () -> provider("file:" + file() + "?read-only"))
                .hasMessageContaining(file().toAbsolutePath().toString());
        assertHopsealError(ErrorKind.INVALID, () -> provider("file:?read-only")).hasMessageContaining("needs a path");
        assertThat(folder()).isEmpty();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
