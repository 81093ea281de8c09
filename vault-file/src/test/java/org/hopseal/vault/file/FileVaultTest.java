package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
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
        try (FileVault v = FileVault.open(p, passphrase.toCharArray(), FAST, true)) {
            throw new AssertionError("opened " + v);
        } catch (HopsealException e) {
            return e.kind();
        }
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
            new org.hopseal.vault.software.SoftwareVerifier().verify(ed, "after restart".getBytes(), sig);
            assertThat(v.find(p256)).isPresent();
            assertThat(v.agreementKeys()).hasSize(1);
            assertThat(v.publicKey(v.agreementKeys().get(0))).isEqualTo(x);
            assertThat(v.record("identity/x")).hasValueSatisfying(r -> assertThat(r).containsExactly(1, 2, 3));
        }
    }

    @Test
    void defaultsUseAtLeast64MiBOfArgon2idMemory() {
        assertThat(KdfParameters.DEFAULT.memoryKiB()).isGreaterThanOrEqualTo(64 * 1024);
    }

    @Test
    void newFilesAreOwnerOnlyAndHoldNoSecretByte() throws Exception {
        List<byte[]> secrets;
        try (FileVault v = open("pw")) {
            for (int i = 0; i < 5; i++) {
                v.generateSigningKey(KeyType.ED25519);
                v.generateSigningKey(KeyType.ECDSA_P256);
                v.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            }
            secrets = v.storedSecretsForTesting();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        byte[] bytes = Files.readAllBytes(file());
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
        assertThatThrownBy(() -> open("wrong")).isInstanceOf(VaultException.class).hasMessageContaining("wrong passphrase")
                .extracting(e -> ((VaultException) e).kind()).isEqualTo(ErrorKind.AUTHENTICATION);
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
        }
        assertThat(kindOf(file(), "old")).isEqualTo(ErrorKind.AUTHENTICATION);
        try (FileVault v = open("new")) {
            assertThat(v.find(key)).isPresent();
        }
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
            assertThat(((FileVault) v.identity()).kdf()).isEqualTo(new KdfParameters(65536, 3, 1));
        }
        assertThatThrownBy(() -> FileVaultProvider.open(VaultSpec.parse("file:"), "pw".toCharArray())).hasMessageContaining("needs a path");
        assertThatThrownBy(() -> FileVaultProvider.open(VaultSpec.parse("file:/x?kdf-memory-kib=1"), "pw".toCharArray()))
                .hasMessageContaining("parameters");
    }

    /** Finding 7 of issue 16: new file vaults accepted Argon2id with 8 KiB and one pass. */
    @Test
    void newVaultsRefuseArgon2idBelowRfc9106sSecondRecommendation() {
        for (KdfParameters weak : List.of(FAST, new KdfParameters(8, 1, 1), new KdfParameters(65536, 2, 4),
                new KdfParameters(65535, 3, 4), new KdfParameters(32 * 1024, 16, 4))) {
            assertThatThrownBy(() -> FileVault.open(file(), "pw".toCharArray(), weak).close()).as(weak.toString())
                    .isInstanceOf(VaultException.class)
                    .hasMessageContaining("refusing to create the vault")
                    .hasMessageContaining("weak Argon2id parameters (" + weak.describe() + ")")
                    .hasMessageContaining("65536 KiB, 3 passes, 4 lanes")
                    .satisfies(e -> assertThat(((VaultException) e).kind()).isEqualTo(ErrorKind.INVALID));
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
            assertThat(v.kdf()).isEqualTo(FAST);
            v.changePassphrase("new".toCharArray());
            assertThat(v.kdf()).isEqualTo(KdfParameters.DEFAULT);
        }
        assertThat(VaultFileFormat.parseHeader(Files.readAllBytes(file())).kdf()).isEqualTo(KdfParameters.DEFAULT);
        try (FileVault v = FileVault.open(file(), "new".toCharArray(), FAST)) {
            assertThat(v.find(key)).isPresent();
            assertThat(v.kdf()).as("an existing file keeps its own parameters").isEqualTo(KdfParameters.DEFAULT);
        }
    }
}
