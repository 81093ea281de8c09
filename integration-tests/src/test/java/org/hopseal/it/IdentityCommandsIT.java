package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity commands a user expects (issue 16, finding 9), through the CLI in child JVMs: identities have names
 * within a vault, {@code --identity} takes a name or an identifier, a name is never created twice, a node picks the
 * identity named {@code default}, {@code identity delete} removes one, a mistyped {@code file:} vault is refused by
 * every command but {@code identity create} (and is not created), and an identity in the {@code software} vault comes
 * with a warning that it lives only as long as the process.
 */
class IdentityCommandsIT {
    private static final Duration T = Duration.ofSeconds(45);
    private static final Map<String, String> ENV = Map.of("HOPSEAL_VAULT_PASSPHRASE", "identity commands it passphrase");

    @TempDir
    Path dir;

    private record Result(String command, int exit, List<String> stdout, List<String> stderr) {
        String describe() {
            return command + ": exit " + exit + ", stdout " + stdout + ", stderr " + stderr;
        }
    }

    private static Result run(String... args) throws Exception {
        try (ChildJvm p = ChildJvm.hopseal(ENV, args)) {
            return new Result(String.join(" ", args), p.waitFor(T), p.stdout(), p.stderr());
        }
    }

    private static String ok(String... args) throws Exception {
        Result r = run(args);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).isNotEmpty();
        return r.stdout().get(0);
    }

    @Test
    void namedIdentitiesAreCreatedOnceChosenByNameOrIdentifierAndDeleted() throws Exception {
        String vault = "file:" + dir.resolve("alice.vault");
        String first = ok("identity", "create", "--vault", vault);
        assertThat(first).matches("I[0-9a-f]{64}");

        Result again = run("identity", "create", "--vault", vault);
        assertThat(again.exit()).as(again.describe()).isNotZero();
        assertThat(String.join("\n", again.stderr())).contains("named 'default' already").contains(first);

        String backup = ok("identity", "create", "backup", "--key-type", "p256", "--vault", vault);
        assertThat(backup).matches("I[0-9a-f]{64}").isNotEqualTo(first);

        Result list = run("identity", "list", "--vault", vault);
        assertThat(list.stdout()).as(list.describe()).containsExactly("backup " + backup, "default " + first);

        Result byName = run("identity", "show", "--identity", "backup", "--vault", vault);
        assertThat(byName.stdout()).as(byName.describe()).startsWith(backup, "name: backup", "key-type: ECDSA_P256");
        Result byIdentifier = run("identity", "show", "--identity", first, "--vault", vault);
        assertThat(byIdentifier.stdout()).as(byIdentifier.describe()).startsWith(first, "name: default");
        Result byDefault = run("identity", "show", "--vault", vault);
        assertThat(byDefault.stdout()).as("with two identities, commands use the one named 'default'").startsWith(first);

        try (ChildJvm node = ChildJvm.hopseal(ENV, "node", "--listen", "127.0.0.1:0", "--vault", vault)) {
            assertThat(node.awaitLine("LISTENING", T).split(" ")[2]).as("a node starts on a vault of two identities, as 'default'")
                    .isEqualTo(first);
        }

        assertThat(ok("identity", "delete", "backup", "--vault", vault)).isEqualTo(backup);
        assertThat(run("identity", "list", "--vault", vault).stdout()).containsExactly("default " + first);
        Result gone = run("identity", "show", "--identity", "backup", "--vault", vault);
        assertThat(gone.exit()).as(gone.describe()).isNotZero();
        assertThat(String.join("\n", gone.stderr())).contains("no identity named 'backup'");
    }

    @Test
    void namesThatAreNotNamesAreRefused() throws Exception {
        String vault = "file:" + dir.resolve("names.vault");
        for (String bad : List.of("I" + "0".repeat(64), "two words", "_underscore-first", "x".repeat(65))) {
            Result r = run("identity", "create", bad, "--vault", vault);
            assertThat(r.exit()).as(r.describe()).isNotZero();
            assertThat(String.join("\n", r.stderr())).as(r.describe()).contains("is not an identity name");
        }
        assertThat(dir.resolve("names.vault")).as("a refused name creates no vault").doesNotExist();
    }

    @Test
    void everyCommandButCreateRefusesAFileVaultThatDoesNotExist() throws Exception {
        Path typo = dir.resolve("typo.vault");
        String vault = "file:" + typo;
        Path history = dir.resolve("history.hex");
        Files.writeString(history, "00\n");
        List<String[]> commands = List.of(
                new String[] {"node", "--listen", "127.0.0.1:0", "--vault", vault},
                new String[] {"send", "--to", "127.0.0.1:9", "--vault", vault, "hi"},
                new String[] {"identity", "show", "--vault", vault},
                new String[] {"identity", "list", "--vault", vault},
                new String[] {"identity", "rotate", "--vault", vault},
                new String[] {"identity", "export", "--vault", vault},
                new String[] {"identity", "import", history.toString(), "--vault", vault},
                new String[] {"identity", "delete", "default", "--vault", vault});
        List<ChildJvm> started = new ArrayList<>();
        try {
            for (String[] args : commands) {
                started.add(ChildJvm.hopseal(ENV, args));
            }
            for (int i = 0; i < started.size(); i++) {
                ChildJvm c = started.get(i);
                Result r = new Result(String.join(" ", commands.get(i)), c.waitFor(T), c.stdout(), c.stderr());
                assertThat(r.exit()).as(r.describe()).isNotZero();
                assertThat(String.join("\n", r.stderr())).as(r.describe())
                        .contains("does not exist").contains("hopseal identity create --vault " + vault);
            }
        } finally {
            for (ChildJvm c : started) {
                c.close();
            }
        }
        assertThat(typo).as("no command created the mistyped vault").doesNotExist();
    }

    @Test
    void anIdentityInTheSoftwareVaultComesWithAWarning() throws Exception {
        Result r = run("identity", "create", "--vault", "software");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).as("stdout is the identifier alone").hasSize(1);
        assertThat(r.stdout().get(0)).matches("I[0-9a-f]{64}");
        assertThat(String.join("\n", r.stderr())).contains("warning").contains("gone when the command exits");
    }
}
