package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identities on a file vault persist across processes and keep authenticating. */
class FileVaultIdentityIT {
    private static final Duration T = Duration.ofSeconds(60);
    private static final Map<String, String> ENV = Map.of("HOPSEAL_VAULT_PASSPHRASE", "it passphrase");

    @TempDir
    Path dir;

    private String spec(String name) {
        // Lighter Argon2id parameters keep the test quick; the defaults are checked in vault-file.
        return "file:" + dir.resolve(name) + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1";
    }

    @Test
    void identityCreatedThenUsedByANodeInANewProcess() throws Exception {
        String bobVault = spec("bob.vault");
        String id;
        try (ChildJvm create = ChildJvm.hopseal(ENV, "identity", "create", "--vault", bobVault)) {
            assertThat(create.waitFor(T)).as(String.join("\n", create.stderr())).isZero();
            assertThat(create.stdout()).hasSize(1);
            id = create.stdout().get(0);
            assertThat(id).matches("I[0-9a-f]{64}");
        }
        try (ChildJvm list = ChildJvm.hopseal(ENV, "identity", "list", "--vault", bobVault)) {
            assertThat(list.waitFor(T)).isZero();
            assertThat(list.stdout()).containsExactly("default " + id);
        }
        try (ChildJvm show = ChildJvm.hopseal(ENV, "identity", "show", "--vault", bobVault)) {
            assertThat(show.waitFor(T)).isZero();
            assertThat(show.stdout().get(0)).isEqualTo(id);
            assertThat(show.stdout()).contains("key-type: ED25519");
        }
        try (ChildJvm node = ChildJvm.hopseal(ENV, "node", "--listen", "127.0.0.1:0", "--vault", bobVault)) {
            String[] ready = node.awaitLine("LISTENING", T).split(" ");
            assertThat(ready[2]).as("the node uses the identity created before").isEqualTo(id);
            String aliceVault = spec("alice.vault");
            try (ChildJvm create = ChildJvm.hopseal(ENV, "identity", "create", "--vault", aliceVault)) {
                assertThat(create.waitFor(T)).as(String.join("\n", create.stderr())).isZero();
            }
            try (ChildJvm send = ChildJvm.hopseal(ENV, "send", "--to", "127.0.0.1:" + ready[1], "--vault", aliceVault,
                    "--trust", id, "Hello from a file vault")) {
                assertThat(send.waitFor(T)).as(String.join("\n", send.stderr())).isZero();
                assertThat(send.stdout()).containsExactly("Hello from a file vault");
            }
        }
    }

    /**
     * Item 4 of issue 22 across processes: while a node holds the vault, the commands that read it work and those
     * that change it are refused; once it stops, the passphrase changes.
     */
    @Test
    void whileANodeHoldsTheVaultReadersWorkAndWritersWaitForItToStop() throws Exception {
        String vault = spec("held.vault");
        String id;
        try (ChildJvm create = ChildJvm.hopseal(ENV, "identity", "create", "--vault", vault)) {
            assertThat(create.waitFor(T)).as(String.join("\n", create.stderr())).isZero();
            id = create.stdout().get(0);
        }
        Path newPassphrase = Files.writeString(dir.resolve("new-passphrase"), "the new it passphrase\n");
        try (ChildJvm node = ChildJvm.hopseal(ENV, "node", "--listen", "127.0.0.1:0", "--vault", vault)) {
            node.awaitLine("LISTENING", T);
            for (String reader : new String[] {"list", "show", "export"}) {
                try (ChildJvm read = ChildJvm.hopseal(ENV, "identity", reader, "--vault", vault)) {
                    assertThat(read.waitFor(T)).as(reader + ": " + String.join("\n", read.stderr())).isZero();
                    assertThat(read.stdout()).isNotEmpty();
                }
            }
            try (ChildJvm rotate = ChildJvm.hopseal(ENV, "identity", "rotate", "--vault", vault)) {
                assertThat(rotate.waitFor(T)).isEqualTo(1);
                assertThat(String.join("\n", rotate.stderr())).contains("is in use by another process");
            }
            try (ChildJvm change = ChildJvm.hopseal(ENV, "vault", "change-passphrase", "--vault", vault,
                    "--new-passphrase-source", "file:" + newPassphrase)) {
                assertThat(change.waitFor(T)).isEqualTo(1);
                assertThat(String.join("\n", change.stderr())).contains("is in use by another process");
            }
            assertThat(node.isAlive()).isTrue();
        }
        try (ChildJvm change = ChildJvm.hopseal(ENV, "vault", "change-passphrase", "--vault", vault,
                "--new-passphrase-source", "file:" + newPassphrase)) {
            assertThat(change.waitFor(T)).as(String.join("\n", change.stderr())).isZero();
        }
        try (ChildJvm list = ChildJvm.hopseal(Map.of(), "identity", "list", "--vault", vault + "&passphrase-source=file:" + newPassphrase)) {
            assertThat(list.waitFor(T)).as(String.join("\n", list.stderr())).isZero();
            assertThat(list.stdout()).containsExactly("default " + id);
        }
        try (ChildJvm old = ChildJvm.hopseal(ENV, "identity", "list", "--vault", vault)) {
            assertThat(old.waitFor(T)).isEqualTo(1);
            assertThat(String.join("\n", old.stderr())).contains("wrong passphrase").doesNotContain("it passphrase");
        }
    }

    @Test
    void aWrongPassphraseFailsClearly() throws Exception {
        String vault = spec("c.vault");
        try (ChildJvm create = ChildJvm.hopseal(ENV, "identity", "create", "--vault", vault)) {
            assertThat(create.waitFor(T)).as(String.join("\n", create.stderr())).isZero();
        }
        try (ChildJvm wrong = ChildJvm.hopseal(Map.of("HOPSEAL_VAULT_PASSPHRASE", "nope"), "identity", "list", "--vault", vault)) {
            assertThat(wrong.waitFor(T)).isNotZero();
            assertThat(String.join("\n", wrong.stderr())).contains("wrong passphrase");
        }
        try (ChildJvm none = ChildJvm.hopseal(Map.of("HOPSEAL_VAULT_PASSPHRASE", ""), "identity", "list", "--vault", vault)) {
            assertThat(none.waitFor(T)).isNotZero();
            assertThat(String.join("\n", none.stderr())).contains("HOPSEAL_VAULT_PASSPHRASE");
        }
    }
}
