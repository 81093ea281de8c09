package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hopseal noise} against an independently written Noise implementation, rweather's noise-c (npm
 * {@code noise-c.wasm}, driven by {@code tools/interop/noise-c-peer.js}), over TCP in both roles: the handshake hashes
 * must agree and every transport message must decrypt on the other side. Skipped (loudly) without Node.js and the
 * package, unless {@code HOPSEAL_REQUIRE_INTEROP=true} (set by {@code .ci/run}, which installs them).
 */
class NoiseInteropIT {
    private static final Path PEER = Path.of("../tools/interop/noise-c-peer.js").toAbsolutePath().normalize();
    private static final Duration T = Duration.ofSeconds(60);

    private static void requirePeer() {
        boolean present = Files.isDirectory(PEER.resolveSibling("node_modules/noise-c.wasm")) && onPath("node");
        if (!present) {
            String why = "Node.js or tools/interop/node_modules/noise-c.wasm is missing (npm install --prefix tools/interop)";
            if ("true".equals(System.getenv("HOPSEAL_REQUIRE_INTEROP"))) {
                throw new AssertionError(why + " — required here");
            }
            System.err.println("!!! SKIPPING NOISE INTEROP: " + why + " !!!");
            Assumptions.abort(why);
        }
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The noise-c peer: its process, the lines of its standard output so far, and the thread reading them. */
    private record Peer(Process process, List<String> lines, Thread reader) implements AutoCloseable {
        @Override
        public void close() {
            process.destroyForcibly();
        }

        static Peer start(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("node", PEER.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> new BufferedReader(new InputStreamReader(p.getInputStream())).lines().forEach(lines::add));
            return new Peer(p, lines, reader);
        }

        String await(String prefix) throws InterruptedException {
            if (!Await.holds(T, () -> line(lines, prefix) != null)) {
                throw new AssertionError("the noise-c peer printed no " + prefix + ": " + lines);
            }
            return line(lines, prefix);
        }

        /** Waits for the peer to exit and for its last line to be read, and returns its exit status. */
        int exit() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(reader.join(T)).as("the peer's output read to its end").isTrue();
            return process.exitValue();
        }
    }

    private static String line(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst().orElse(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Noise_XX_25519_AESGCM_SHA256", "Noise_IK_25519_AESGCM_SHA256", "Noise_NN_25519_AESGCM_SHA256",
            "Noise_XX_25519_ChaChaPoly_BLAKE2s", "Noise_IK_25519_ChaChaPoly_SHA512"})
    void hopsealInitiatorWithNoiseCResponder(String proto) throws Exception {
        requirePeer();
        Peer peer = Peer.start("--role", "responder", "--proto", proto);
        String port = peer.await("PORT");
        String peerKey = peer.await("LOCAL_STATIC_PUB");
        try (peer; ChildJvm hopseal = ChildJvm.hopseal(Map.of(), "noise", "--role", "initiator", "--proto", proto, "--port", port,
                "--remote-static", peerKey, "--payload", "68656c6c6f", "--count", "3")) {
            assertThat(hopseal.waitFor(T)).as(String.join("\n", hopseal.stderr())).isZero();
            assertThat(peer.exit()).isZero();
            assertThat(line(hopseal.stdout(), "HANDSHAKE_HASH")).isNotNull().isEqualTo(line(peer.lines(), "HANDSHAKE_HASH"));
            assertThat(hopseal.stdout()).contains("RECV echo:ping-0", "RECV echo:ping-2", "DONE");
            assertThat(peer.lines()).contains("RECV ping-0", "RECV ping-2", "HS_PAYLOAD 68656c6c6f", "DONE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Noise_XX_25519_AESGCM_SHA256", "Noise_NN_25519_ChaChaPoly_SHA256", "Noise_XX_25519_AESGCM_BLAKE2b"})
    void noiseCInitiatorWithHopsealResponder(String proto) throws Exception {
        requirePeer();
        try (ChildJvm hopseal = ChildJvm.hopseal(Map.of(), "noise", "--role", "responder", "--proto", proto, "--port", "0")) {
            String port = hopseal.awaitLine("PORT", T).split(" ")[1];
            try (Peer peer = Peer.start("--role", "initiator", "--proto", proto, "--port", port, "--payload", "6869", "--count", "2")) {
            assertThat(peer.exit()).isZero();
            assertThat(hopseal.waitFor(T)).as(String.join("\n", hopseal.stderr())).isZero();
            assertThat(line(peer.lines(), "HANDSHAKE_HASH")).isNotNull().isEqualTo(line(hopseal.stdout(), "HANDSHAKE_HASH"));
            assertThat(peer.lines()).contains("RECV echo:ping-0", "RECV echo:ping-1", "DONE");
            assertThat(hopseal.stdout()).contains("RECV ping-0", "HS_PAYLOAD 6869", "DONE");
            }
        }
    }
}
