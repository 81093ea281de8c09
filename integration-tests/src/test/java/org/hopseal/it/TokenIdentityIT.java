package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hopseal.vault.pkcs11.TestToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 24's walkthrough through the command, each step in its own JVM, with Alice's identity key on each test token
 * alike (SoftHSM, and a TPM 2.0: swtpm behind tpm2-abrmd, through tpm2-pkcs11; {@link TestToken}): identity create,
 * show and rotate with a P-256 key; a message to a node whose identity is in a file vault, and back from a node and a
 * portal whose identity is on the token. The TPM offers no EdDSA: an Ed25519 identity is refused there with the
 * reason, and one of no stated type is P-256.
 */
class TokenIdentityIT {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** What every command needs: the token's environment (its PKCS#11 module reads it), and the file vault's passphrase. */
    private static Map<String, String> env(TestToken token) {
        Map<String, String> env = new HashMap<>(token.environment());
        env.put("HOPSEAL_VAULT_PASSPHRASE", "bob's passphrase");
        return env;
    }

    private record Result(int exit, List<String> stdout, List<String> stderr) {
        String describe() {
            return "exit " + exit + ", stdout " + stdout + ", stderr " + stderr;
        }
    }

    private static Result run(TestToken token, String... args) throws Exception {
        try (ChildJvm p = ChildJvm.hopseal(env(token), args)) {
            int exit = p.waitFor(T);
            return new Result(exit, p.stdout(), p.stderr());
        }
    }

    /** Runs a command that must succeed; returns its standard output. */
    private static List<String> ok(TestToken token, String... args) throws Exception {
        Result r = run(token, args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.describe()).isZero();
        return r.stdout();
    }

    @ParameterizedTest
    @EnumSource(TestToken.class)
    void theWalkthroughWithTheIdentityOnTheToken(TestToken token) throws Exception {
        token.require();
        String alice = token.uri("alice");
        List<String> created = ok(token, "identity", "create", "--key-type", "p256", "--vault", alice);
        assertThat(created).as("only the identifier on standard output").hasSize(1);
        String aliceId = created.get(0);
        assertThat(ok(token, "identity", "show", "--vault", alice)).contains(aliceId, "key-type: ECDSA_P256", "changes: 1");

        Result again = run(token, "identity", "create", "--key-type", "p256", "--vault", alice);
        assertThat(again.exit()).as(again.describe()).isNotZero();
        assertThat(String.join("\n", again.stderr())).contains("this vault holds an identity named 'default' already (" + aliceId + ")");

        assertThat(ok(token, "identity", "rotate", "--vault", alice)).as("rotation keeps the identifier").containsExactly(aliceId);
        List<String> shown = ok(token, "identity", "show", "--identity", aliceId, "--vault", alice);
        assertThat(shown).contains(aliceId, "key-type: ECDSA_P256", "changes: 2");

        // Alice, on the token, talks to Bob, whose key is in a file vault.
        String bobVault = "file:" + dir.resolve("bob.vault");
        String bobId = ok(token, "identity", "create", "--vault", bobVault).get(0);
        try (ChildJvm bob = ChildJvm.hopseal(env(token), "node", "--listen", "127.0.0.1:0", "--vault", bobVault, "--trust", aliceId)) {
            String[] ready = bob.awaitLine("LISTENING", T).split(" ");
            assertThat(ready[2]).isEqualTo(bobId);
            assertThat(ok(token, "send", "--to", "127.0.0.1:" + ready[1], "--vault", alice, "--trust", bobId, "Hello from the token"))
                    .containsExactly("Hello from the token");
        }

        // A node whose identity is on the token: a message to its Echoer, and a connection through its outlet.
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> serveEcho(echo));
            try (ChildJvm node = ChildJvm.hopseal(env(token), "node", "--listen", "127.0.0.1:0", "--vault", alice,
                    "--outlet", "echo=127.0.0.1:" + echo.getLocalPort())) {
                String[] ready = node.awaitLine("LISTENING", T).split(" ");
                assertThat(ready[2]).as("the node runs as Alice's rotated identity on the token").isEqualTo(aliceId);
                assertThat(ok(token, "send", "--to", "127.0.0.1:" + ready[1], "--trust", aliceId, "Hello to the token"))
                        .containsExactly("Hello to the token");
                try (ChildJvm inlet = ChildJvm.hopseal(env(token), "inlet", "--from", "127.0.0.1:0", "--to", "127.0.0.1:" + ready[1],
                        "--outlet", "echo", "--trust", aliceId)) {
                    String[] in = inlet.awaitLine("INLET", T).split(" ");
                    assertThat(in[2]).as("the inlet authenticated the identity on the token").isEqualTo(aliceId);
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(in[1]))) {
                        s.setSoTimeout((int) T.toMillis());
                        byte[] sent = "through a portal to a node whose key is on the token".getBytes(StandardCharsets.UTF_8);
                        s.getOutputStream().write(sent);
                        assertThat(s.getInputStream().readNBytes(sent.length)).isEqualTo(sent);
                    }
                }
            }
        }
    }

    @Test
    void aTpmHasNoEdDsaSoAnIdentityOfNoStatedTypeIsP256AndEd25519IsRefused() throws Exception {
        TestToken tpm = TestToken.TPM;
        tpm.require();
        Result ed = run(tpm, "identity", "create", "--key-type", "ed25519", "--vault", tpm.uri("carol"));
        assertThat(ed.exit()).as(ed.describe()).isNotZero();
        assertThat(String.join("\n", ed.stderr())).contains("token '" + tpm.label() + "' cannot generate ED25519 keys")
                .contains("nothing was created in software");
        String id = ok(tpm, "identity", "create", "--vault", tpm.uri("carol")).get(0);
        assertThat(ok(tpm, "identity", "show", "--vault", tpm.uri("carol"))).contains(id, "key-type: ECDSA_P256");
    }

    private static void serveEcho(ServerSocket server) {
        try {
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (Exception ignored) {
                        // the test closed it
                    }
                });
            }
        } catch (Exception closed) {
            // the test is over
        }
    }
}
