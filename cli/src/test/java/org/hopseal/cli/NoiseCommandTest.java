package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Two instances of the interop mode talk to each other over loopback, for the patterns interop needs. */
class NoiseCommandTest {
    record Run(int exit, String output) {
    }

    @TempDir
    Path tmp;

    private static Run run(NoiseCommand cmd, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        cmd.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(cmd).execute(args);
        return new Run(exit, buf.toString(StandardCharsets.UTF_8));
    }

    /** Runs and returns stderr instead of stdout. */
    private static Run runErr(NoiseCommand cmd, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        cmd.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(cmd).execute(args);
        return new Run(exit, buf.toString(StandardCharsets.UTF_8));
    }

    private static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return String.valueOf(s.getLocalPort());
        }
    }

    private static String line(String output, String key) {
        return output.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst().orElse(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Noise_XX_25519_AESGCM_SHA256", "Noise_IK_25519_ChaChaPoly_BLAKE2s", "Noise_NN_25519_AESGCM_SHA512"})
    void initiatorAndResponderAgree(String proto) throws Exception {
        Path responderKey = Files.writeString(tmp.resolve("responder.key"), "4a".repeat(32) + "\n");
        NoiseCommand responder = new NoiseCommand();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        responder.out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> new CommandLine(responder)
                .execute("--role", "responder", "--proto", proto, "--port", "0", "--static-file", responderKey.toString()));
        Await.await("the responder listening or ended", Duration.ofSeconds(30),
                () -> line(buf.toString(StandardCharsets.UTF_8), "PORT") != null || r.isDone());
        String port = line(buf.toString(StandardCharsets.UTF_8), "PORT");
        assertThat(port).as("the responder's PORT line; it printed: %s", buf).isNotNull();
        String responderPub = line(buf.toString(StandardCharsets.UTF_8), "LOCAL_STATIC_PUB");
        assertThat(responderPub).isEqualTo(PUB_4A);
        Run init = run(new NoiseCommand(), "--role", "initiator", "--proto", proto, "--port", port,
                "--remote-static", responderPub, "--payload", "68656c6c6f", "--count", "2");
        assertThat(init.exit()).isZero();
        assertThat(r.get()).isZero();
        String resp = buf.toString(StandardCharsets.UTF_8);
        assertThat(line(init.output(), "HANDSHAKE_HASH")).isEqualTo(line(resp, "HANDSHAKE_HASH")).hasSize(proto.endsWith("SHA512") ? 128 : 64);
        assertThat(init.output()).contains("RECV echo:ping-0", "RECV echo:ping-1", "DONE");
        assertThat(resp).contains("RECV ping-0", "RECV ping-1", "HS_PAYLOAD 68656c6c6f", "DONE");
        if (!proto.contains("_NN_")) {
            assertThat(line(init.output(), "REMOTE_STATIC_PUB")).isEqualTo(responderPub);
        }
    }

    /** X25519 public key of the private key 4a4a...4a (computed by tools/x3dh/make_vectors.py's x25519_base). */
    private static final String PUB_4A = "2fdfe0bc09a91e01f740bef7e6622bf4d8837a0a8fc862469491bd80a1e6c35a";

    /** Finding 7 of issue 16: {@code --static} took the private key on the command line. */
    @Test
    void aStaticKeyOnTheCommandLineIsRefusedWithoutEchoingIt() throws Exception {
        String key = "4a".repeat(32);
        for (String[] args : List.of(new String[] {"--static", key}, new String[] {"--static=" + key}, new String[] {"--static"})) {
            List<String> all = new ArrayList<>(List.of("--role", "initiator", "--proto", "Noise_XX_25519_AESGCM_SHA256",
                    "--port", closedPort()));
            all.addAll(List.of(args));
            Run r = runErr(new NoiseCommand(), all.toArray(String[]::new));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.output()).contains("--static no longer takes a private key on the command line")
                    .contains("--static-file PATH").contains("--static-env VAR").doesNotContain(key);
        }
    }

    @Test
    void theStaticKeyComesFromAFileOrAnEnvironmentVariable() throws Exception {
        Path file = Files.writeString(tmp.resolve("k"), "  " + "4A".repeat(32) + "\r\n");
        Run fromFile = run(new NoiseCommand(), "--role", "initiator", "--proto", "Noise_XX_25519_AESGCM_SHA256",
                "--port", closedPort(), "--static-file", file.toString());
        assertThat(line(fromFile.output(), "LOCAL_STATIC_PUB")).isEqualTo(PUB_4A);
        assertThat(fromFile.exit()).as("nobody listens on the port").isEqualTo(1);

        NoiseCommand fromEnv = new NoiseCommand();
        fromEnv.environment = name -> name.equals("HOPSEAL_NOISE_KEY") ? "4a".repeat(32) : null;
        Run env = run(fromEnv, "--role", "initiator", "--proto", "Noise_XX_25519_AESGCM_SHA256",
                "--port", closedPort(), "--static-env", "HOPSEAL_NOISE_KEY");
        assertThat(line(env.output(), "LOCAL_STATIC_PUB")).isEqualTo(PUB_4A);

        Run random = run(new NoiseCommand(), "--role", "initiator", "--proto", "Noise_XX_25519_AESGCM_SHA256", "--port", closedPort());
        assertThat(line(random.output(), "LOCAL_STATIC_PUB")).hasSize(64).isNotEqualTo(PUB_4A);
    }

    @Test
    void badStaticKeySourcesFailClearly() throws Exception {
        String[] base = {"--role", "initiator", "--proto", "Noise_XX_25519_AESGCM_SHA256", "--port", closedPort()};
        Path shortKey = Files.writeString(tmp.resolve("short"), "4a4a");
        Path good = Files.writeString(tmp.resolve("good"), "4a".repeat(32));
        NoiseCommand unset = new NoiseCommand();
        unset.environment = name -> null;
        record Case(NoiseCommand cmd, String[] args, String message) {
        }
        for (Case c : List.of(
                new Case(new NoiseCommand(), new String[] {"--static-file", shortKey.toString()}, "must hold an X25519 private key as 64 hex digits"),
                new Case(new NoiseCommand(), new String[] {"--static-file", tmp.resolve("missing").toString()}, "cannot read --static-file"),
                new Case(unset, new String[] {"--static-env", "NOT_SET_ANYWHERE"}, "NOT_SET_ANYWHERE is not set"),
                new Case(new NoiseCommand(), new String[] {"--static-file", good.toString(), "--static-env", "X"}, "not both"))) {
            List<String> all = new ArrayList<>(List.of(base));
            all.addAll(List.of(c.args()));
            Run r = runErr(c.cmd(), all.toArray(String[]::new));
            assertThat(r.exit()).as(c.message()).isEqualTo(2);
            assertThat(r.output()).contains(c.message());
        }
    }

    @Test
    void unknownProtocolFailsClearly() {
        Run r = runErr(new NoiseCommand(), "--role", "initiator", "--proto", "Noise_XX_448_AESGCM_SHA256");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).as("stderr names what is unsupported").contains("unsupported DH function '448'");
    }

    @Test
    void vectorRunnerPassesAFileAndFailsOnATamperedOne(@TempDir Path dir) throws Exception {
        Path snow = Path.of("../core/src/test/resources/vectors/noise/snow.txt");
        assertThat(Main.run("vectors", "noise", snow.toString())).isZero();
        String text = Files.readString(snow);
        int at = text.indexOf("\"ciphertext\": \"") + 15;
        char c = text.charAt(at);
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, text.substring(0, at) + (c == '0' ? '1' : '0') + text.substring(at + 1));
        assertThat(Main.run("vectors", "noise", bad.toString())).isEqualTo(1);
    }
}
