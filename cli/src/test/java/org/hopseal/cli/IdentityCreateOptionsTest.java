package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hopseal identity create}'s name and key type, and read errors that name a path once. */
class IdentityCreateOptionsTest {
    private static final String NL = System.lineSeparator();

    @Test
    void keyTypesAreTakenInAnyCase() {
        for (String type : new String[] {"P256", "p256", "Ed25519", "AUTO"}) {
            Captured run = Captured.run("identity", "create", "--key-type", type);
            assertThat(run.exit()).as(type + ": " + run.err()).isZero();
            assertThat(run.out()).startsWith("I");
        }
        Captured bad = Captured.run("identity", "create", "--key-type", "rsa");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("hopseal identity create: --key-type must be ed25519, p256 or auto, was 'rsa'" + NL
                + "Try 'hopseal identity create --help' for more information." + NL);
    }

    @Test
    void identityNamesTheNewIdentity(@TempDir Path dir) {
        String vault = "file:" + dir.resolve("a.vault");
        assertThat(Captured.run("identity", "create", "--identity", "backup", "--vault", vault).exit()).isZero();
        Captured list = Captured.run("identity", "list", "--vault", vault);
        assertThat(list.out()).startsWith("backup I");
        Captured both = Captured.run("identity", "create", "web", "--identity", "db", "--vault", vault);
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).startsWith("hopseal identity create: NAME 'web' and --identity 'db' differ: give the new identity's name once" + NL);
        assertThat(Captured.run("identity", "create", "web", "--identity", "web", "--vault", vault).exit()).isZero();
    }

    @Test
    void aMissingFileIsNamedOnce(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.cred");
        Captured run = Captured.run("credential", "show", missing.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("hopseal credential show: cannot read the credential from " + missing + ": no such file" + NL);
        assertThat(Files.exists(missing)).isFalse();
    }
}
