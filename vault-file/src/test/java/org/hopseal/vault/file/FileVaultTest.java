package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;
import static org.hopseal.testing.HopsealAssertions.thrownKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.Encapsulation;
import org.hopseal.api.vault.InsecureSecretAccess;
import org.hopseal.api.vault.KemAlgorithm;
import org.hopseal.api.vault.KemKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.hopseal.vault.software.SoftwareVerifier;
import org.hopseal.vault.software.store.StoredKeyPair;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVaultTest {
    private static final KdfParameters FAST = FileVaultContractTest.FAST;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("alice.vault");
    }

    private FileVault open(String passphrase) throws VaultException {
        return FileVault.open(file(), passphrase.toCharArray(), FAST, true);
    }

    private static ErrorKind kindOf(Path p, String passphrase) {
        return thrownKind(() -> FileVault.open(p, passphrase.toCharArray(), FAST, true).close());
    }

    @Test
    void keysAndRecordsSurviveAReopen() throws Exception {
        PublicKey ed;
        PublicKey p256;
        PublicKey x;
        try (FileVault v = open("correct horse")) {
            ed = v.publicKey(v.generateSigningKey(KeyType.ED25519));
            p256 = v.publicKey(v.generateSigningKey(KeyType.ECDSA_P256));
            x = v.publicKey(v.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT));
            v.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            v.putRecord("identity/x", new byte[] {1, 2, 3});
        }
        try (FileVault v = open("correct horse")) {
            SigningKeyHandle h = v.find(ed).orElseThrow();
            byte[] sig = v.sign(h, "after restart".getBytes());
            new SoftwareVerifier().verify(ed, "after restart".getBytes(), sig);
            assertThat(v.find(p256)).isPresent();
            assertThat(v.agreementKeys()).hasSize(1);
            assertThat(v.publicKey(v.agreementKeys().get(0))).isEqualTo(x);
            assertThat(v.record("identity/x")).hasValueSatisfying(r -> assertThat(r).containsExactly(1, 2, 3));
        }
    }

    @Test
    void aDeletedRecordStaysDeletedAfterAReopen() throws Exception {
        try (FileVault v = open("pw")) {
            v.putRecord("identity/keep", new byte[] {1});
            v.putRecord("identity/drop", new byte[] {2});
            v.deleteRecord("identity/drop");
        }
        try (FileVault v = open("pw")) {
            assertThat(v.recordNames()).containsExactly("identity/keep");
            assertThat(v.record("identity/drop")).isEmpty();
        }
    }

    @Test
    void deletingARecordThatDoesNotExistWritesNothing() throws Exception {
        try (FileVault v = open("pw")) {
            v.putRecord("identity/keep", new byte[] {1});
            byte[] before = Files.readAllBytes(file());
            v.deleteRecord("identity/never-stored");
            assertThat(Files.readAllBytes(file())).as("no rewrite, so no new nonce").isEqualTo(before);
        }
    }

    @Test
    void anImportedPersistentKeyIsStoredAndTheStaticVaultsShareOneVault() throws Exception {
        byte[] p256 = HexFormat.of().parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
        PublicKey imported;
        try (Vaults v = FileVault.vaults(file(), "pw".toCharArray())) {
            assertThat(v.identity()).isSameAs(v.channel()).isInstanceOf(FileVault.class);
            AgreementKeyHandle key = v.channel().importAgreementKey(KeyType.P256_ECDH, p256, Persistence.PERSISTENT);
            imported = v.channel().publicKey(key);
        }
        assertThat(VaultFileReader.kdf(file())).isEqualTo(KdfParameters.DEFAULT);
        try (FileVault v = FileVault.open(file(), "pw".toCharArray())) {
            assertThat(v.agreementKeys()).hasSize(1);
            assertThat(v.publicKey(v.agreementKeys().getFirst())).isEqualTo(imported);
        }
    }

    @Test
    void afterAPassphraseChangeOtherThreadsCanStillWrite() throws Exception {
        try (FileVault v = open("old"); ExecutorService other = Executors.newSingleThreadExecutor()) {
            v.changePassphrase("new".toCharArray());
            Future<?> write = other.submit(() -> {
                v.putRecord("from another thread", new byte[] {1});
                return null;
            });
            write.get(30, TimeUnit.SECONDS);
        }
        try (FileVault v = open("new")) {
            assertThat(v.recordNames()).containsExactly("from another thread");
        }
    }

    /** Each open holds a lock file open; one refused as in use, or closed, must not keep it (a node retries). */
    @Test
    void refusedAndClosedOpensLeaveNoFileOpen() throws Exception {
        Path descriptors = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(descriptors), "counting open files needs /proc");
        try (FileVault v = open("pw")) {
            long before = openFiles(descriptors);
            for (int i = 0; i < 50; i++) {
                assertThatThrownBy(() -> open("pw")).hasMessageContaining("in use");
            }
            assertThat(openFiles(descriptors)).as("refused opens").isLessThan(before + 20);
        }
        long before = openFiles(descriptors);
        for (int i = 0; i < 50; i++) {
            open("pw").close();
        }
        assertThat(openFiles(descriptors)).as("closed vaults").isLessThan(before + 20);
    }

    private static long openFiles(Path descriptors) throws IOException {
        try (Stream<Path> open = Files.list(descriptors)) {
            return open.count();
        }
    }

    @Test
    void defaultsUseAtLeast64MiBOfArgon2idMemory() {
        assertThat(KdfParameters.DEFAULT.memoryKiB()).isGreaterThanOrEqualTo(64 * 1024);
    }

    @Test
    void newFilesAreOwnerOnlyAndHoldNoSecretByte() throws Exception {
        try (FileVault v = open("pw")) {
            for (int i = 0; i < 5; i++) {
                v.generateSigningKey(KeyType.ED25519);
                v.generateSigningKey(KeyType.ECDSA_P256);
                v.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        byte[] bytes = Files.readAllBytes(file());
        List<byte[]> secrets = VaultFileReader.read(file(), "pw").keyPairs().stream().map(StoredKeyPair::privateKey).toList();
        assertThat(secrets).hasSize(15);
        for (byte[] secret : secrets) {
            assertThat(indexOf(bytes, secret)).as("a stored secret appears in the file").isEqualTo(-1);
            // Not even half of a key appears.
            assertThat(indexOf(bytes, Arrays.copyOf(secret, 16))).isEqualTo(-1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void wrongPassphraseIsAClearErrorAndTheFileIsUntouched() throws Exception {
        try (FileVault v = open("right")) {
            v.generateSigningKey(KeyType.ED25519);
        }
        byte[] before = Files.readAllBytes(file());
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> open("wrong")).isInstanceOf(VaultException.class).hasMessageContaining("wrong passphrase");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        try (FileVault v = open("right")) {
            assertThat(v.signingKeys()).hasSize(1);
        }
    }

    @Test
    void aCorruptedByteAnywhereGivesTheErrorOfItsRegionAndNothingIsWritten() throws Exception {
        try (FileVault v = open("pw")) {
            v.generateSigningKey(KeyType.ED25519);
            v.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
        }
        byte[] good = Files.readAllBytes(file());
        int saltAt = 8 + 1 + 1 + 4 + 4 + 1;
        int checkAt = saltAt + 16;
        int nonceAt = checkAt + 16;
        int bodyAt = nonceAt + 12;
        int tagAt = good.length - 16;
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Files.write(file(), bad);
            String expected;
            if (i < 8) {
                expected = "not a Hopseal vault file";
            } else if (i == 8) {
                expected = "unsupported vault file format";
            } else if (i == 9) {
                expected = "unknown key derivation function";
            } else if (i < saltAt) {
                expected = null; // parameters: out of range, or in range and then a different key
            } else if (i < nonceAt) {
                expected = "wrong passphrase";
            } else {
                expected = "corrupted";
            }
            int at = i;
            assertThatThrownBy(() -> open("pw").close()).as("byte " + at + (at >= tagAt ? " (tag)" : at >= bodyAt ? " (ciphertext)" : ""))
                    .isInstanceOf(VaultException.class)
                    .satisfies(e -> {
                        if (expected != null) {
                            assertThat(e.getMessage()).contains(expected);
                        }
                    });
            assertThat(Files.readAllBytes(file())).as("a vault that failed to read never writes").isEqualTo(bad);
        }
        for (int n = 0; n < good.length; n++) {
            Files.write(file(), Arrays.copyOf(good, n));
            assertThatThrownBy(() -> open("pw").close()).isInstanceOf(VaultException.class);
            assertThat(Files.size(file())).isEqualTo(n);
        }
        Files.write(file(), "#!/bin/sh\necho not a vault\n".repeat(5).getBytes());
        assertThatThrownBy(() -> open("pw")).hasMessageContaining("not a Hopseal vault file");
    }

    @Test
    void oneOpenAtATime() throws Exception {
        try (FileVault v = open("pw")) {
            assertThatThrownBy(() -> open("pw")).isInstanceOf(VaultException.class).hasMessageContaining("in use by another process");
            assertThat(v.signingKeys()).isEmpty();
        }
        open("pw").close();
    }

    @Test
    void changePassphraseReencrypts() throws Exception {
        PublicKey key;
        try (FileVault v = open("old")) {
            key = v.publicKey(v.generateSigningKey(KeyType.ED25519));
            char[] next = "new".toCharArray();
            v.changePassphrase(next);
            assertThat(next).containsOnly('\0');
            v.putRecord("after", new byte[] {1});
        }
        assertThat(VaultFileReader.kdf(file())).as("test parameters stay cheap").isEqualTo(FAST);
        assertThat(kindOf(file(), "old")).isEqualTo(ErrorKind.AUTHENTICATION);
        try (FileVault v = open("new")) {
            assertThat(v.find(key)).isPresent();
            assertThat(v.recordNames()).as("writes after the change use the new key").containsExactly("after");
        }
    }

    @Test
    void aPassphraseChangeThatCannotBeWrittenLeavesTheOldPassphraseInForce() throws Exception {
        Path sub = dir.resolve("sub");
        Files.createDirectories(sub);
        Path p = sub.resolve("v.vault");
        try (FileVault v = FileVault.open(p, "old".toCharArray(), FAST, true)) {
            PublicKey key = v.publicKey(v.generateSigningKey(KeyType.ED25519));
            Path moved = dir.resolve("moved");
            Files.move(sub, moved);
            char[] next = "new words".toCharArray();
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> v.changePassphrase(next)).isInstanceOf(VaultException.class)
                    .hasMessage("cannot read the vault file " + p.toAbsolutePath() + ": no such file or folder");
            assertThat(next).containsOnly('\0');
            Files.move(moved, sub);
            v.putRecord("still", new byte[] {1});
            assertThat(v.find(key)).isPresent();
        }
        assertThat(kindOf(p, "new words")).isEqualTo(ErrorKind.AUTHENTICATION);
        try (FileVault v = FileVault.open(p, "old".toCharArray(), FAST, true)) {
            assertThat(v.recordNames()).containsExactly("still");
        }
    }

    @Test
    void aClosedVaultRefusesEveryOperationAndLetsTheFileBeOpenedAgain() throws Exception {
        FileVault v = open("pw");
        SigningKeyHandle key = v.generateSigningKey(KeyType.ED25519);
        v.close();
        for (ThrowingCall call : List.<ThrowingCall>of(() -> v.sign(key, new byte[1]), () -> v.putRecord("r", new byte[1]),
                () -> v.generateSigningKey(KeyType.ED25519), () -> v.changePassphrase("x".toCharArray()))) {
            assertHopsealError(ErrorKind.SHUTDOWN, call::run).isInstanceOf(VaultException.class);
        }
        try (FileVault again = open("pw")) {
            assertThat(again.signingKeys()).containsExactly(key);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aVaultThatCannotBeLockedOrReadIsUnavailable() throws Exception {
        Path noFolder = dir.resolve("no-such-folder").resolve("v.vault");
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> FileVault.open(noFolder, "pw".toCharArray(), FAST, true))
                .isInstanceOf(VaultException.class).hasMessage("cannot open the lock file " + noFolder + ".lock: no such file or folder");
        Path notAFolder = Files.writeString(dir.resolve("a-file"), "").resolve("v.vault");
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> FileVault.open(notAFolder, "pw".toCharArray(), FAST, true))
                .hasMessage("cannot open the lock file " + notAFolder + ".lock: Not a directory");
        Path folder = dir.resolve("a-folder.vault");
        Files.createDirectories(folder);
        assertHopsealError(ErrorKind.UNAVAILABLE, () -> FileVault.open(folder, "pw".toCharArray(), FAST, true))
                .isInstanceOf(VaultException.class).hasMessageContaining("cannot read the vault file");
        assertThatThrownBy(() -> FileVault.open(folder, "pw".toCharArray(), FAST, true)).as("the failed open released its lock")
                .hasMessageContaining("cannot read the vault file");
    }

    @Test
    void theFileVaultDoesEveryOperationOfItsSoftwareVault() throws Exception {
        try (FileVault v = open("pw"); SoftwareVault reference = new SoftwareVault()) {
            assertThat(v.path()).isEqualTo(file().toAbsolutePath());
            assertThat(v.toString()).contains(file().getFileName().toString()).doesNotContain("pw");
            assertThat(v.signingKeyTypes()).isEqualTo(reference.signingKeyTypes());
            assertThat(v.agreementKeyTypes()).isEqualTo(reference.agreementKeyTypes());
            assertThat(v.aeadAlgorithms()).isEqualTo(reference.aeadAlgorithms());
            assertThat(v.hashAlgorithms()).isEqualTo(reference.hashAlgorithms());
            AgreementKeyHandle x = v.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            new SoftwareVerifier().verify(v.publicKey(x), new byte[] {1}, v.xeddsaSign(x, new byte[] {1}));
            SecretHandle a = v.importSecret(new byte[] {1, 2});
            SecretHandle b = v.importSecret(new byte[] {3});
            SecretHandle both = v.concatenate(List.of(a, b));
            assertThat(v.exportSecret(both, InsecureSecretAccess.get())).containsExactly(1, 2, 3);
            SecretHandle wide = v.importSecret(new byte[32]);
            AeadKeyHandle key = v.toAeadKey(wide, AeadAlgorithm.CHACHA20_POLY1305);
            AeadKeyHandle next = v.rekey(key);
            byte[] frame = v.aeadEncrypt(next, new byte[12], new byte[0], new byte[] {7}, 3);
            assertThat(Arrays.copyOf(frame, 3)).containsOnly(0);
            assertThat(v.aeadDecrypt(next, new byte[12], new byte[0], frame, 3, frame.length - 3)).containsExactly(7);
            assertThat(v.hmac(HashAlgorithm.SHA256, wide, new byte[0])).hasSize(32);
            assertThat(v.hkdf(HashAlgorithm.SHA256, a, b, new byte[0], List.of(32, 16))).hasSize(2);
            v.delete(wide);
            assertHopsealError(ErrorKind.NOT_FOUND, () -> v.hmac(HashAlgorithm.SHA256, wide, new byte[0]));

            assertThat(v.kemAlgorithms()).isEqualTo(reference.kemAlgorithms()).isNotEmpty();
            byte[] seed = new byte[64];
            seed[0] = 5;
            KemKeyHandle imported = v.importKemKey(KemAlgorithm.ML_KEM_768, seed);
            byte[] publicKey = v.kemPublicKey(imported);
            assertThat(publicKey).isEqualTo(reference.kemPublicKey(reference.importKemKey(KemAlgorithm.ML_KEM_768, seed)));
            byte[] m = new byte[32];
            Encapsulation fixed = v.encapsulate(KemAlgorithm.ML_KEM_768, publicKey, m);
            assertThat(fixed.ciphertext()).isEqualTo(reference.encapsulate(KemAlgorithm.ML_KEM_768, publicKey, m).ciphertext());
            assertThat(v.exportSecret(v.decapsulate(imported, fixed.ciphertext()), InsecureSecretAccess.get()))
                    .isEqualTo(v.exportSecret(fixed.sharedSecret(), InsecureSecretAccess.get()));
            KemKeyHandle generated = v.generateKemKey(KemAlgorithm.ML_KEM_768);
            Encapsulation fresh = v.encapsulate(KemAlgorithm.ML_KEM_768, v.kemPublicKey(generated));
            assertThat(v.exportSecret(v.decapsulate(generated, fresh.ciphertext()), InsecureSecretAccess.get()))
                    .isEqualTo(v.exportSecret(fresh.sharedSecret(), InsecureSecretAccess.get()));
            v.delete(imported);
            assertHopsealError(ErrorKind.NOT_FOUND, () -> v.kemPublicKey(imported));
        }
        assertThat(Files.readAllBytes(file())).as("nothing ephemeral was stored")
                .hasSize(VaultFileFormat.HEADER_LENGTH + 3 + VaultFileFormat.TAG);
    }

    @Test
    void theCallersPassphraseArrayIsWiped() throws Exception {
        char[] pw = "secret words".toCharArray();
        FileVault.open(file(), pw, FAST, true).close();
        assertThat(pw).containsOnly('\0');
    }

    @Test
    void aFailedDiskWriteLosesNothingAndKeepsMemoryAndDiskInStep() throws Exception {
        Path sub = dir.resolve("sub");
        Files.createDirectories(sub);
        Path p = sub.resolve("v.vault");
        PublicKey kept;
        try (FileVault v = FileVault.open(p, "pw".toCharArray(), FAST, true)) {
            kept = v.publicKey(v.generateSigningKey(KeyType.ED25519));
            byte[] before = Files.readAllBytes(p);
            // Take the folder away: the next write cannot create its temporary file.
            Path moved = dir.resolve("moved");
            Files.move(sub, moved);
            assertThatThrownBy(() -> v.generateSigningKey(KeyType.ED25519)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("could not write the vault file").hasMessageContaining("unchanged");
            assertThat(v.signingKeys()).as("the key that could not be stored is not kept in memory either").hasSize(1);
            Files.move(moved, sub);
            assertThat(Files.readAllBytes(p)).isEqualTo(before);
        }
        try (FileVault v = FileVault.open(p, "pw".toCharArray(), FAST, true)) {
            assertThat(v.find(kept)).isPresent();
            assertThat(v.signingKeys()).hasSize(1);
        }
    }

    @Test
    void providerTakesThePathAndParameters() throws Exception {
        VaultSpec spec = VaultSpec.parse("file:" + file() + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1");
        try (Vaults v = FileVaultProvider.open(spec, "pw".toCharArray())) {
            assertThat(v.identity()).isInstanceOf(FileVault.class);
            assertThat(v.channel()).isSameAs(v.identity());
        }
        assertThat(VaultFileReader.kdf(file())).isEqualTo(new KdfParameters(65536, 3, 1));
        assertThatThrownBy(() -> FileVaultProvider.open(VaultSpec.parse("file:"), "pw".toCharArray())).hasMessageContaining("needs a path");
        assertThatThrownBy(() -> FileVaultProvider.open(VaultSpec.parse("file:/x?kdf-memory-kib=1"), "pw".toCharArray()))
                .hasMessageContaining("parameters");
    }

    /** Finding 7 of issue 16: new file vaults accepted Argon2id with 8 KiB and one pass. */
    @Test
    void newVaultsRefuseArgon2idBelowRfc9106sSecondRecommendation() {
        for (KdfParameters weak : List.of(FAST, new KdfParameters(8, 1, 1), new KdfParameters(65536, 2, 4),
                new KdfParameters(65535, 3, 4), new KdfParameters(32 * 1024, 16, 4))) {
            assertHopsealError(ErrorKind.INVALID, () -> FileVault.open(file(), "pw".toCharArray(), weak).close()).as(weak.toString())
                    .isInstanceOf(VaultException.class)
                    .hasMessageContaining("refusing to create the vault")
                    .hasMessageContaining("weak Argon2id parameters (" + weak.describe() + ")")
                    .hasMessageContaining("65536 KiB, 3 passes, 4 lanes");
            assertThat(file()).doesNotExist();
            assertThat(dir.resolve("alice.vault.lock")).as("a refusal leaves nothing behind").doesNotExist();
        }
        VaultSpec spec = VaultSpec.parse("file:" + file() + "?kdf-memory-kib=8192&kdf-iterations=1&kdf-parallelism=1");
        assertThatThrownBy(() -> FileVaultProvider.open(spec, "pw".toCharArray()).close())
                .isInstanceOf(VaultException.class).hasMessageContaining("weak Argon2id parameters (8192 KiB, 1 pass, 1 lane)");
        assertThat(file()).doesNotExist();
    }

    @Test
    void theMinimumIsRfc9106sSecondRecommendationOrCostlier() {
        assertThat(KdfParameters.DEFAULT.meetsMinimum()).isTrue();
        assertThat(new KdfParameters(64 * 1024, 3, 1).meetsMinimum()).as("lanes add no cost to a guesser").isTrue();
        assertThat(new KdfParameters(2 * 1024 * 1024, 1, 4).meetsMinimum()).as("RFC 9106's first recommendation").isTrue();
        assertThat(new KdfParameters(96 * 1024, 2, 4).meetsMinimum()).isTrue();
        assertThat(new KdfParameters(64 * 1024, 2, 4).meetsMinimum()).isFalse();
        assertThat(new KdfParameters(64 * 1024 - 1, 64, 4).meetsMinimum()).isFalse();
        assertThat(FAST.meetsMinimum()).isFalse();
    }

    @Test
    void anExistingWeakVaultStillOpensAndChangingItsPassphraseRaisesItsParameters() throws Exception {
        PublicKey key;
        try (FileVault v = open("old")) {
            key = v.publicKey(v.generateSigningKey(KeyType.ED25519));
        }
        try (FileVault v = FileVault.open(file(), "old".toCharArray())) {
            assertThat(v.find(key)).as("weak parameters never lock anyone out").isPresent();
            assertThat(VaultFileReader.kdf(file())).isEqualTo(FAST);
            v.changePassphrase("new".toCharArray());
            assertThat(VaultFileReader.kdf(file())).isEqualTo(KdfParameters.DEFAULT);
        }
        assertThat(VaultFileFormat.parseHeader(Files.readAllBytes(file())).kdf()).isEqualTo(KdfParameters.DEFAULT);
        try (FileVault v = FileVault.open(file(), "new".toCharArray(), FAST)) {
            assertThat(v.find(key)).isPresent();
            assertThat(VaultFileReader.kdf(file())).as("an existing file keeps its own parameters").isEqualTo(KdfParameters.DEFAULT);
        }
    }
}
