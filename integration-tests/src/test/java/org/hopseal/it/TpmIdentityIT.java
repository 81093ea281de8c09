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
import org.hopseal.vault.pkcs11.SwTpm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's walkthrough through the command, each step in its own JVM, with Alice's identity key in a TPM 2.0 (swtpm
 * behind tpm2-abrmd, through tpm2-pkcs11; {@link SwTpm}): identity create, show and rotate with a P-256 key; a
 * message to a node whose identity is in a file vault, and back from a node and a portal whose identity is on the
 * TPM. The TPM offers no EdDSA: an Ed25519 identity is refused with the reason, and one of no stated type is P-256.
 */
class TpmIdentityIT {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @BeforeAll
    static void tpm() {
        SwTpm.require();
    }

    /** What every command needs: the TPM stack's environment (tpm2-pkcs11 reads it), and the file vault's passphrase. */
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(SwTpm.environment());
        env.put("HOPSEAL_VAULT_PASSPHRASE", "bob's passphrase");
        return env;
    }

    private static String tpm(String object) {
        return SwTpm.uri(SwTpm.TOKEN, object, "env:" + SwTpm.PIN_ENV);
    }

    private record Result(int exit, List<String> stdout, List<String> stderr) {
        String describe() {
            return "exit " + exit + ", stdout " + stdout + ", stderr " + stderr;
        }
    }

    private static Result run(String... args) throws Exception {
        try (ChildJvm p = ChildJvm.hopseal(env(), args)) {
            int exit = p.waitFor(T);
            return new Result(exit, p.stdout(), p.stderr());
        }
    }

    /** Runs a command that must succeed; returns its standard output. */
    private static List<String> ok(String... args) throws Exception {
        Result r = run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.describe()).isZero();
        return r.stdout();
    }

    @Test
    void theWalkthroughWithTheIdentityOnTheTpm() throws Exception {
        String alice = tpm("alice");
        List<String> created = ok("identity", "create", "--key-type", "p256", "--vault", alice);
        assertThat(created).as("only the identifier on standard output").hasSize(1);
        String aliceId = created.get(0);
        assertThat(ok("identity", "show", "--vault", alice)).contains(aliceId, "key-type: ECDSA_P256", "changes: 1");

        Result again = run("identity", "create", "--key-type", "p256", "--vault", alice);
        assertThat(again.exit()).as(again.describe()).isNotZero();
        assertThat(String.join("\n", again.stderr())).contains("this vault holds an identity named 'default' already (" + aliceId + ")");

        assertThat(ok("identity", "rotate", "--vault", alice)).as("rotation keeps the identifier").containsExactly(aliceId);
        List<String> shown = ok("identity", "show", "--identity", aliceId, "--vault", alice);
        assertThat(shown).contains(aliceId, "key-type: ECDSA_P256", "changes: 2");

        // Alice, on the TPM, talks to Bob, whose key is in a file vault.
        String bobVault = "file:" + dir.resolve("bob.vault");
        String bobId = ok("identity", "create", "--vault", bobVault).get(0);
        try (ChildJvm bob = ChildJvm.hopseal(env(), "node", "--listen", "127.0.0.1:0", "--vault", bobVault, "--trust", aliceId)) {
            String[] ready = bob.awaitLine("LISTENING", T).split(" ");
            assertThat(ready[2]).isEqualTo(bobId);
            assertThat(ok("send", "--to", "127.0.0.1:" + ready[1], "--vault", alice, "--trust", bobId, "Hello from the TPM"))
                    .containsExactly("Hello from the TPM");
        }

        // A node whose identity is on the TPM: a message to its Echoer, and a connection through its outlet.
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> serveEcho(echo));
            try (ChildJvm node = ChildJvm.hopseal(env(), "node", "--listen", "127.0.0.1:0", "--vault", alice,
                    "--outlet", "echo=127.0.0.1:" + echo.getLocalPort())) {
                String[] ready = node.awaitLine("LISTENING", T).split(" ");
                assertThat(ready[2]).as("the node runs as Alice's rotated TPM identity").isEqualTo(aliceId);
                assertThat(ok("send", "--to", "127.0.0.1:" + ready[1], "--trust", aliceId, "Hello to the TPM"))
                        .containsExactly("Hello to the TPM");
                try (ChildJvm inlet = ChildJvm.hopseal(env(), "inlet", "--from", "127.0.0.1:0", "--to", "127.0.0.1:" + ready[1],
                        "--outlet", "echo", "--trust", aliceId)) {
                    String[] in = inlet.awaitLine("INLET", T).split(" ");
                    assertThat(in[2]).as("the inlet authenticated the TPM identity").isEqualTo(aliceId);
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(in[1]))) {
                        s.setSoTimeout((int) T.toMillis());
                        byte[] sent = "through a portal to a TPM-held node".getBytes(StandardCharsets.UTF_8);
                        s.getOutputStream().write(sent);
                        assertThat(s.getInputStream().readNBytes(sent.length)).isEqualTo(sent);
                    }
                }
            }
        }
    }

    @Test
    void aTpmHasNoEdDsaSoAnIdentityOfNoStatedTypeIsP256AndEd25519IsRefused() throws Exception {
        Result ed = run("identity", "create", "--key-type", "ed25519", "--vault", tpm("carol"));
        assertThat(ed.exit()).as(ed.describe()).isNotZero();
        assertThat(String.join("\n", ed.stderr())).contains("token '" + SwTpm.TOKEN + "' cannot generate ED25519 keys")
                .contains("nothing was created in software");
        String id = ok("identity", "create", "--vault", tpm("carol")).get(0);
        assertThat(ok("identity", "show", "--vault", tpm("carol"))).contains(id, "key-type: ECDSA_P256");
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
