package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hopseal.vault.file.FileVault;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hopseal vault change-passphrase}. The build sets {@code HOPSEAL_VAULT_PASSPHRASE} (cli/pom.xml): the current
 * passphrase, unless a spec names a passphrase-source. Tests run without a terminal, so the new passphrase comes from
 * {@code --new-passphrase-source} (asking twice is PassphrasePromptTest's, in api).
 */
class VaultCommandTest {
    private static final String NL = System.lineSeparator();
    private static final String CURRENT = System.getenv("HOPSEAL_VAULT_PASSPHRASE");
    private static final String NEW = "n3w passphrase words";

    @TempDir
    Path dir;

    private Path file;
    private String vault;
    private String id;

    @BeforeEach
    void aVaultWithAnIdentity() {
        Assumptions.assumeTrue(CURRENT != null, "the build sets HOPSEAL_VAULT_PASSPHRASE");
        file = dir.resolve("alice.vault");
        vault = "file:" + file;
        Captured create = Captured.run("identity", "create", "--vault", vault);
        assertThat(create.exit()).as(create.err()).isZero();
        id = create.out().strip();
    }

    private Path newPassphraseFile() throws Exception {
        return Files.writeString(dir.resolve("new-passphrase"), NEW + "\n");
    }

    /** Whether the vault opens with {@code passphrase} and holds the identity: {@code identity list} with a passphrase file. */
    private boolean opensWith(String passphrase) throws Exception {
        Path source = Files.writeString(dir.resolve("check-" + passphrase.hashCode()), passphrase);
        Captured list = Captured.run("identity", "list", "--vault", vault + "?passphrase-source=file:" + source);
        if (list.exit() != 0) {
            assertThat(list.err()).contains("wrong passphrase");
            return false;
        }
        assertThat(list.out()).isEqualTo("default " + id + NL);
        return true;
    }

    private static void assertNoSecretIn(Captured run) {
        for (String secret : new String[] {CURRENT, NEW, "wrong guess"}) {
            assertThat(run.out()).doesNotContain(secret);
            assertThat(run.err()).doesNotContain(secret);
        }
    }

    @Test
    void theNewPassphraseFromAFileReplacesTheOld() throws Exception {
        Captured change = Captured.run("vault", "change-passphrase", "--vault", vault, "--new-passphrase-source", "file:" + newPassphraseFile());
        assertThat(change.exit()).as(change.err()).isZero();
        assertThat(change.out()).isEqualTo("changed the passphrase of the vault " + file.toAbsolutePath() + NL);
        assertNoSecretIn(change);
        assertThat(opensWith(NEW)).isTrue();
        assertThat(opensWith(CURRENT)).isFalse();
        Captured old = Captured.run("identity", "show", "--vault", vault);
        assertThat(old.exit()).isEqualTo(1);
        assertThat(old.err()).startsWith("hopseal identity show: wrong passphrase for the vault " + file.toAbsolutePath());
        assertNoSecretIn(old);
    }

    @Test
    void theCurrentPassphraseMayComeFromTheSpecsSource() throws Exception {
        Path current = Files.writeString(dir.resolve("current"), CURRENT + "\n");
        Captured change = Captured.run("vault", "change-passphrase", "--vault", vault + "?passphrase-source=file:" + current,
                "--new-passphrase-source", "file:" + newPassphraseFile());
        assertThat(change.exit()).as(change.err()).isZero();
        assertThat(opensWith(NEW)).isTrue();
    }

    @Test
    void aWrongCurrentPassphraseIsRefusedAndChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(file);
        Path wrong = Files.writeString(dir.resolve("wrong"), "wrong guess\n");
        Captured change = Captured.run("vault", "change-passphrase", "--vault", vault + "?passphrase-source=file:" + wrong,
                "--new-passphrase-source", "file:" + newPassphraseFile());
        assertThat(change.exit()).isEqualTo(1);
        assertThat(change.err()).startsWith("hopseal vault change-passphrase: wrong passphrase for the vault " + file.toAbsolutePath());
        assertThat(change.out()).isEmpty();
        assertNoSecretIn(change);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aNewPassphraseSourceThatGivesNoneIsRefusedAndChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(file);
        Path empty = Files.writeString(dir.resolve("empty"), "");
        String[][] refusals = {
            {"file:" + dir.resolve("absent"), "the file " + dir.resolve("absent") + " (--new-passphrase-source) cannot be read: it does not exist"},
            {"file:" + empty, "the file " + empty + " (--new-passphrase-source) is empty"},
            {"env:HOPSEAL_NO_SUCH_PASSPHRASE_VARIABLE", "the environment variable HOPSEAL_NO_SUCH_PASSPHRASE_VARIABLE (--new-passphrase-source) is not set"},
            {NEW, "--new-passphrase-source must be env:NAME or file:PATH"},
        };
        for (String[] refusal : refusals) {
            Captured change = Captured.run("vault", "change-passphrase", "--vault", vault, "--new-passphrase-source", refusal[0]);
            assertThat(change.exit()).as(refusal[0]).isEqualTo(1);
            assertThat(change.err()).isEqualTo("hopseal vault change-passphrase: " + refusal[1] + NL);
            assertNoSecretIn(change);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void withoutATerminalOrASourceTheNewPassphraseCannotBeAsked() throws Exception {
        Assumptions.assumeTrue(System.console() == null, "the tests run without a terminal");
        byte[] before = Files.readAllBytes(file);
        Captured change = Captured.run("vault", "change-passphrase", "--vault", vault);
        assertThat(change.exit()).isEqualTo(1);
        assertThat(change.err()).isEqualTo("hopseal vault change-passphrase: no terminal to ask the new passphrase in: give"
                + " --new-passphrase-source env:NAME|file:PATH" + NL);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void whileAnotherHolderHasTheVaultTheChangeIsRefused() throws Exception {
        byte[] before = Files.readAllBytes(file);
        try (FileVault holder = FileVault.open(file, CURRENT.toCharArray())) {
            Captured change = Captured.run("vault", "change-passphrase", "--vault", vault, "--new-passphrase-source", "file:" + newPassphraseFile());
            assertThat(change.exit()).isEqualTo(1);
            assertThat(change.err()).startsWith("hopseal vault change-passphrase: the vault " + file.toAbsolutePath()
                    + " is in use by another process");
            assertThat(holder.signingKeys()).hasSize(1);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aMissingVaultIsRefusedAndNotCreated() {
        Path missing = dir.resolve("typo.vault");
        Captured change = Captured.run("vault", "change-passphrase", "--vault", "file:" + missing, "--new-passphrase-source", "env:X");
        assertThat(change.exit()).isEqualTo(1);
        assertThat(change.err()).startsWith("hopseal vault change-passphrase: the vault file " + missing + " does not exist");
        assertThat(missing).doesNotExist();
        assertThat(dir.resolve("typo.vault.lock")).doesNotExist();
    }

    @Test
    void aVaultWithoutAPassphraseIsRefusedClearly() {
        Captured software = Captured.run("vault", "change-passphrase", "--vault", "software", "--new-passphrase-source", "env:X");
        assertThat(software.exit()).isEqualTo(1);
        assertThat(software.err()).isEqualTo("hopseal vault change-passphrase: the software vault has no passphrase; only a file: vault has one" + NL);
        Captured token = Captured.run("vault", "change-passphrase", "--vault",
                "pkcs11:token=hopseal;object=alice?module-path=/nonexistent/module.so&pin-source=env:HOPSEAL_PIN");
        assertThat(token.exit()).isEqualTo(1);
        assertThat(token.err()).as("refused before the module is loaded").startsWith("hopseal vault change-passphrase: a PKCS#11 token has a PIN,"
                + " not a passphrase: change it with the token's own tools");
    }

    @Test
    void theVaultIsRequired() {
        Captured run = Captured.run("vault", "change-passphrase");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("hopseal vault change-passphrase: Missing required option: '--vault=SPEC'" + NL);
    }
}
