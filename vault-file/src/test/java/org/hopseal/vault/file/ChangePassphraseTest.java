package org.hopseal.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileVault#changePassphrase(Path, char[], char[])}: open with the current passphrase, re-encrypt, close. A
 * vault below the minimum parameters is raised to the default ones by the change, so these tests open the result
 * with the default parameters' cost. The holder of the lock here is another instance in this JVM; CrashSafetyTest
 * holds it from another process.
 */
class ChangePassphraseTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("alice.vault");
    }

    private PublicKey existing(String passphrase) throws VaultException {
        try (FileVault v = FileVault.open(file(), passphrase.toCharArray(), FileVaultContractTest.FAST, true)) {
            return v.publicKey(v.generateSigningKey(KeyType.ED25519));
        }
    }

    private List<String> folder() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theNewPassphraseOpensTheVaultWithEveryKeyAndTheOldOneNoLonger() throws Exception {
        PublicKey key = existing("old words");
        char[] current = "old words".toCharArray();
        char[] next = "new words".toCharArray();
        FileVault.changePassphrase(file(), current, next);
        assertThat(current).containsOnly('\0');
        assertThat(next).containsOnly('\0');
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> FileVault.openReadOnly(file(), "old words".toCharArray()));
        try (FileVault v = FileVault.openReadOnly(file(), "new words".toCharArray())) {
            assertThat(v.find(key)).isPresent();
        }
        assertThat(folder()).as("no temporary file is left").containsExactly("alice.vault", "alice.vault.lock");
    }

    /** Writes through the real writer until told to fail; a failure leaves half a temporary file, as a crash would. */
    private static final class FailingWriter implements VaultFileWriter {
        volatile boolean failing;

        @Override
        public void replace(Path file, byte[] bytes) throws IOException {
            if (failing) {
                Files.write(file.resolveSibling("." + file.getFileName() + ".tmp-interrupted"), Arrays.copyOf(bytes, bytes.length / 2));
                throw new IOException("interrupted");
            }
            AtomicFileWriter.INSTANCE.replace(file, bytes);
        }
    }

    @Test
    void aChangeWhoseWriteFailsLeavesTheOldPassphraseInForceOnDiskAndInMemory() throws Exception {
        FailingWriter writer = new FailingWriter();
        PublicKey key;
        try (FileVault v = FileVault.open(file(), "old words".toCharArray(), FileVaultContractTest.FAST, true, writer)) {
            key = v.publicKey(v.generateSigningKey(KeyType.ED25519));
            byte[] before = Files.readAllBytes(file());
            writer.failing = true;
            char[] next = "new words".toCharArray();
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> v.changePassphrase(next))
                    .hasMessage("could not write the vault file " + file().toAbsolutePath() + ": interrupted; the vault on disk is unchanged");
            assertThat(next).containsOnly('\0');
            assertThat(Files.readAllBytes(file())).isEqualTo(before);
            writer.failing = false;
            v.putRecord("written after the failure", new byte[] {1});
        }
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> FileVault.openReadOnly(file(), "new words".toCharArray()));
        try (FileVault v = FileVault.openReadOnly(file(), "old words".toCharArray())) {
            assertThat(v.find(key)).isPresent();
            assertThat(v.recordNames()).as("the vault kept writing under the old passphrase").containsExactly("written after the failure");
        }
    }

    @Test
    void aWrongCurrentPassphraseIsRefusedAndTheFileIsUntouched() throws Exception {
        existing("old words");
        byte[] before = Files.readAllBytes(file());
        char[] wrong = "guessed words".toCharArray();
        char[] next = "new words".toCharArray();
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> FileVault.changePassphrase(file(), wrong, next))
                .hasMessageContaining("wrong passphrase for the vault " + file().toAbsolutePath())
                .message().doesNotContain("guessed").doesNotContain("new words");
        assertThat(wrong).containsOnly('\0');
        assertThat(next).as("wiped though never used").containsOnly('\0');
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
        FileVault.openReadOnly(file(), "old words".toCharArray()).close();
    }

    @Test
    void whileTheVaultIsHeldTheChangeIsRefusedAndTheHolderIsUnaffected() throws Exception {
        try (FileVault holder = FileVault.open(file(), "old words".toCharArray(), FileVaultContractTest.FAST, true)) {
            holder.generateSigningKey(KeyType.ED25519);
            byte[] before = Files.readAllBytes(file());
            char[] next = "new words".toCharArray();
            assertHopsealError(ErrorKind.UNAVAILABLE, () -> FileVault.changePassphrase(file(), "old words".toCharArray(), next))
                    .hasMessageContaining("is in use by another process").hasMessageContaining("file:PATH?read-only");
            assertThat(next).containsOnly('\0');
            assertThat(Files.readAllBytes(file())).isEqualTo(before);
            holder.generateSigningKey(KeyType.ED25519);
        }
        try (FileVault v = FileVault.openReadOnly(file(), "old words".toCharArray())) {
            assertThat(v.signingKeys()).hasSize(2);
        }
    }

    @Test
    void aMissingFileIsRefusedAndNoneIsCreated() throws Exception {
        char[] next = "new words".toCharArray();
        assertHopsealError(ErrorKind.NOT_FOUND, () -> FileVault.changePassphrase(file(), "old words".toCharArray(), next))
                .hasMessage("the vault file " + file().toAbsolutePath() + " does not exist (it is not created here)");
        assertThat(next).containsOnly('\0');
        assertThat(folder()).as("neither a vault nor a lock file").isEmpty();
    }

    @Test
    void anEmptyNewPassphraseIsRefusedAndTheOldStaysInForce() throws Exception {
        existing("old words");
        byte[] before = Files.readAllBytes(file());
        assertHopsealError(ErrorKind.INVALID, () -> FileVault.changePassphrase(file(), "old words".toCharArray(), new char[0]))
                .hasMessage("refusing an empty passphrase for the vault " + file().toAbsolutePath());
        try (FileVault v = FileVault.open(file(), "old words".toCharArray(), FileVaultContractTest.FAST, true)) {
            char[] empty = new char[0];
            assertHopsealError(ErrorKind.INVALID, () -> v.changePassphrase(empty));
            v.putRecord("still writable", new byte[] {1});
        }
        assertThat(Files.readAllBytes(file())).isNotEqualTo(before);
        FileVault.openReadOnly(file(), "old words".toCharArray()).close();
    }

    @Test
    void aNewVaultWithAnEmptyPassphraseIsRefusedAndLeavesNothing() throws Exception {
        assertHopsealError(ErrorKind.INVALID, () -> FileVault.open(file(), new char[0], FileVaultContractTest.FAST, true))
                .hasMessage("refusing to create the vault " + file().toAbsolutePath() + " with an empty passphrase");
        assertThat(folder()).isEmpty();
    }
}
