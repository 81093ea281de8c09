package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hopseal node --config FILE} in a child JVM, as a service runs it: the vault, the trusted peers and the
 * post-quantum policy come from the file, the passphrase from the environment, and a flag overrides the file.
 */
class NodeConfigIT {
    /** Bounds every child process. */
    private static final Duration T = Duration.ofSeconds(45);
    private static final Map<String, String> ENV = Map.of("HOPSEAL_VAULT_PASSPHRASE", "node config it passphrase");

    @TempDir
    Path dir;

    private String vault(String name) {
        return "file:" + dir.resolve(name);
    }

    private static String identityCreate(String vault) throws Exception {
        try (ChildJvm create = ChildJvm.hopseal(ENV, "identity", "create", "--vault", vault)) {
            assertThat(create.waitFor(T)).as(String.join("\n", create.stderr())).isZero();
            assertThat(create.stdout()).hasSize(1);
            return create.stdout().get(0);
        }
    }

    @Test
    void aNodeStartedFromAConfigFileTakesItsVaultAndTrustFromTheFile() throws Exception {
        String bob = identityCreate(vault("bob.vault"));
        String alice = identityCreate(vault("alice.vault"));
        Path config = Files.writeString(dir.resolve("node.yaml"), """
                # Bob's node: only Alice, only hybrid post-quantum channels.
                listen: 127.0.0.1:99999
                vault: %s
                trust: [%s]
                pq: required
                max-connections: 64
                idle-timeout: 5m
                """.formatted(vault("bob.vault"), alice), StandardCharsets.UTF_8);

        // The file's port is out of range: the node listens only because --listen overrides it.
        try (ChildJvm node = ChildJvm.hopseal(ENV, "node", "--config", config.toString(), "--listen", "127.0.0.1:0")) {
            String[] ready = node.awaitLine("LISTENING", T).split(" ");
            assertThat(ready[2]).as("the identity of the file's vault").isEqualTo(bob);
            String to = "127.0.0.1:" + ready[1];

            try (ChildJvm send = ChildJvm.hopseal(ENV, "send", "--to", to, "--vault", vault("alice.vault"), "--trust", bob,
                    "Hello from Alice")) {
                assertThat(send.waitFor(T)).as(String.join("\n", send.stderr())).isZero();
                assertThat(send.stdout()).containsExactly("Hello from Alice");
            }
            // A stranger (a new in-memory identity) is not in the file's trust list.
            try (ChildJvm stranger = ChildJvm.hopseal(ENV, "send", "--to", to, "--trust", bob, "--timeout", "4s", "Hello from a stranger")) {
                assertThat(stranger.waitFor(T)).isEqualTo(1);
                assertThat(stranger.stdout()).isEmpty();
            }
            assertThat(node.terminate()).as("the node stops on SIGTERM; stderr " + node.stderr()).isEqualTo(143);
            assertThat(node.stdout()).endsWith("STOPPED");
            assertThat(node.stderr()).as("the stranger was refused by the file's trust list")
                    .anySatisfy(line -> assertThat(line).contains("the trust policy refused peer"));
        }
    }
}
