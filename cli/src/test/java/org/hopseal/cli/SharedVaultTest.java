package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hopseal.vault.file.FileVault;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that only read a file vault work while another holder (a node) has it; those that change it are refused.
 * The holder here is a {@link FileVault} in this JVM, whose lock the JVM's own lock table enforces as another
 * process's would (integration-tests' FileVaultIdentityIT runs a node in another process).
 */
class SharedVaultTest {
    private static final String NL = System.lineSeparator();
    private static final String PASSPHRASE = System.getenv("HOPSEAL_VAULT_PASSPHRASE");

    @Test
    void whileTheVaultIsHeldReadersWorkAndWritersAreRefused(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PASSPHRASE != null, "the build sets HOPSEAL_VAULT_PASSPHRASE");
        Path file = dir.resolve("node.vault");
        String vault = "file:" + file;
        String id = Captured.run("identity", "create", "--vault", vault).out().strip();
        String history = Captured.run("identity", "export", "--vault", vault).out();
        try (FileVault node = FileVault.open(file, PASSPHRASE.toCharArray())) {
            byte[] held = Files.readAllBytes(file);
            Captured list = Captured.run("identity", "list", "--vault", vault);
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).isEqualTo("default " + id + NL);
            Captured show = Captured.run("identity", "show", "--vault", vault, "--output", "json");
            assertThat(show.exit()).as(show.err()).isZero();
            assertThat(show.out()).startsWith("{\"identifier\":\"" + id + "\"");
            Captured export = Captured.run("identity", "export", "--vault", vault);
            assertThat(export.exit()).as(export.err()).isZero();
            assertThat(export.out()).isEqualTo(history);

            Path historyFile = Files.writeString(dir.resolve("history"), history);
            String[][] writers = {
                {"identity", "rotate", "--vault", vault},
                {"identity", "delete", "default", "--vault", vault},
                {"identity", "create", "second", "--vault", vault},
                {"identity", "import", historyFile.toString(), "--vault", vault},
                {"vault", "change-passphrase", "--vault", vault, "--new-passphrase-source", "env:HOPSEAL_VAULT_PASSPHRASE"},
            };
            for (String[] writer : writers) {
                Captured run = Captured.run(writer);
                assertThat(run.exit()).as(String.join(" ", writer)).isEqualTo(1);
                assertThat(run.err()).as(String.join(" ", writer)).contains("the vault " + file.toAbsolutePath() + " is in use by another process");
            }
            assertThat(Files.readAllBytes(file)).as("readers and refused writers wrote nothing").isEqualTo(held);
            assertThat(node.signingKeys()).hasSize(1);
        }
        Captured rotate = Captured.run("identity", "rotate", "--vault", vault);
        assertThat(rotate.exit()).as("once the holder is gone: " + rotate.err()).isZero();
        assertThat(rotate.out()).isEqualTo(id + NL);
    }
}
