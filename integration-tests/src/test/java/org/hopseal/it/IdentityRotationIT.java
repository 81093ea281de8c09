package org.hopseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hopseal.testing.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation revokes (issue 16, finding 1), through the CLI in child JVMs: Alice's file vault is copied byte for byte
 * (as a thief would), Alice rotates her key twice, and a node of Bob's that has imported Alice's rotated history, or
 * seen it in a handshake, refuses a channel from the copy's (rotated-away) key and accepts Alice's current key; the
 * refusal survives a restart of Bob's node (the known history is persisted in Bob's vault). Also: read-only identity
 * commands leave the vault file untouched (finding 8).
 *
 * <p>The vault files use the default Argon2id parameters (new vaults refuse weaker ones), about 0.3 s per open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityRotationIT {
    /** Bounds every child process. */
    private static final Duration T = Duration.ofSeconds(45);
    private static final Map<String, String> ENV = Map.of("HOPSEAL_VAULT_PASSPHRASE", "rotation it passphrase");
    private static final String HELLO = "hello";
    /** A refused send learns it from the node's abort at once; this bounds it if the abort were lost (default 10 s). */
    private static final String REFUSED_SEND_TIMEOUT = "4s";

    @TempDir
    static Path dir;

    private String aliceId;
    private String bobId;
    /** A second Bob, who imports nothing. */
    private String carolId;
    private Path history;

    private record Result(int exit, List<String> stdout, List<String> stderr) {
        String describe() {
            return "exit " + exit + ", stdout " + stdout + ", stderr " + stderr;
        }
    }

    private String vault(String name) {
        return "file:" + dir.resolve(name);
    }

    private static Result run(String... args) throws Exception {
        try (ChildJvm p = ChildJvm.hopseal(ENV, args)) {
            int exit = p.waitFor(T);
            return new Result(exit, p.stdout(), p.stderr());
        }
    }

    /** Runs a command that must succeed and print exactly one line; returns it. */
    private static String oneLine(String... args) throws Exception {
        Result r = run(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.describe()).isZero();
        assertThat(r.stdout()).as(String.join(" ", args) + ": " + r.describe()).hasSize(1);
        return r.stdout().get(0);
    }

    /** Runs commands at once (JVM start and Argon2id dominate), each of which must succeed; returns their results. */
    private static List<Result> runAtOnce(List<String[]> commands) throws Exception {
        List<ChildJvm> started = new ArrayList<>();
        try {
            for (String[] args : commands) {
                started.add(ChildJvm.hopseal(ENV, args));
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                ChildJvm c = started.get(i);
                Result r = new Result(c.waitFor(T), c.stdout(), c.stderr());
                assertThat(r.exit()).as(String.join(" ", commands.get(i)) + ": " + r.describe()).isZero();
                results.add(r);
            }
            return results;
        } finally {
            for (ChildJvm c : started) {
                c.close();
            }
        }
    }

    private static String identifierOf(Result created) {
        assertThat(created.stdout()).as(created.describe()).hasSize(1);
        assertThat(created.stdout().get(0)).matches("I[0-9a-f]{64}");
        return created.stdout().get(0);
    }

    /** Steps 1 to 4: Alice, Bob and Carol (a second Bob), the stolen copy, two rotations, Alice's history exported. */
    @BeforeAll
    void aliceRotatesAfterHerVaultWasCopied() throws Exception {
        List<Result> created = runAtOnce(List.of(new String[] {"identity", "create", "--vault", vault("alice.vault")},
                new String[] {"identity", "create", "--vault", vault("bob.vault")},
                new String[] {"identity", "create", "--vault", vault("carol.vault")}));
        aliceId = identifierOf(created.get(0));
        bobId = identifierOf(created.get(1));
        carolId = identifierOf(created.get(2));
        assertThat(List.of(aliceId, bobId, carolId)).doesNotHaveDuplicates();

        // A thief's byte copy of the vault file alone: PATH.lock is created by whoever opens a vault, and holds nothing.
        Files.copy(dir.resolve("alice.vault"), dir.resolve("stolen.vault"), StandardCopyOption.COPY_ATTRIBUTES);

        List<Result> firstRotation = runAtOnce(List.of(new String[] {"identity", "rotate", "--vault", vault("alice.vault")},
                new String[] {"identity", "show", "--vault", vault("stolen.vault")}));
        assertThat(firstRotation.get(0).stdout()).as("rotate prints the identifier, unchanged").containsExactly(aliceId);
        assertThat(firstRotation.get(1).stdout()).as("the copy is Alice's identity before the rotations")
                .startsWith(aliceId).contains("changes: 1");
        assertThat(oneLine("identity", "rotate", "--vault", vault("alice.vault"))).as("rotate prints the identifier, unchanged")
                .isEqualTo(aliceId);

        String hex = oneLine("identity", "export", "--vault", vault("alice.vault"));
        assertThat(hex).matches("[0-9a-f]+");
        history = dir.resolve("alice.history");
        Files.writeString(history, hex + "\n", StandardCharsets.US_ASCII);
    }

    private static int port(ChildJvm node) throws InterruptedException {
        return Integer.parseInt(node.awaitLine("LISTENING", T).split(" ")[1]);
    }

    private static String[] ready(ChildJvm node) throws InterruptedException {
        return node.awaitLine("LISTENING", T).split(" ");
    }

    private ChildJvm bobsNode(String vaultName) throws Exception {
        return ChildJvm.hopseal(ENV, "node", "--listen", "127.0.0.1:0", "--vault", vault(vaultName), "--trust", aliceId);
    }

    private Result send(int port, String fromVault, String peerId, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("send", "--to", "127.0.0.1:" + port, "--vault", vault(fromVault), "--trust", peerId));
        args.addAll(List.of(extra));
        args.add(HELLO);
        return run(args.toArray(String[]::new));
    }

    private void assertAccepted(int port, String fromVault, String peerId, String what) throws Exception {
        Result r = send(port, fromVault, peerId);
        assertThat(r.exit()).as(what + ": " + r.describe()).isZero();
        assertThat(r.stdout()).as(what + ": " + r.describe()).containsExactly(HELLO);
    }

    /**
     * The send fails, and the node's log says why: the presented history is a prefix that a later change superseded
     * (not some other failure, such as the trust policy).
     */
    private void assertRefused(ChildJvm node, int port, String fromVault, String peerId, String what) throws Exception {
        int logged = node.stderr().size();
        Result r = send(port, fromVault, peerId, "--timeout", REFUSED_SEND_TIMEOUT);
        assertThat(r.exit()).as(what + ": " + r.describe()).isNotZero();
        assertThat(r.stdout()).as(what + ": " + r.describe()).doesNotContain(HELLO);
        assertThat(String.join("\n", r.stderr())).as(what + ": " + r.describe()).contains("refused");
        String reason = awaitStderr(node, logged, "superseded");
        assertThat(reason).as(what + ": the node's log").contains(aliceId).contains("ends at change 0");
    }

    /** The first line of the node's standard error, from index {@code from} on, that contains {@code text}. */
    private static String awaitStderr(ChildJvm node, int from, String text) throws InterruptedException {
        AtomicReference<String> found = new AtomicReference<>();
        if (!Await.holds(Duration.ofSeconds(10), () -> {
            List<String> lines = node.stderr();
            lines.subList(Math.min(from, lines.size()), lines.size()).stream().filter(line -> line.contains(text)).findFirst()
                    .ifPresent(found::set);
            return found.get() != null;
        })) {
            throw new AssertionError("the node logged no line containing '" + text + "'; stderr " + node.stderr());
        }
        return found.get();
    }

    /** Steps 4 to 6: Bob imports Alice's rotated history; his node refuses the stolen copy and accepts Alice. */
    @Test
    void aNodeThatImportedTheRotatedHistoryRefusesTheRotatedAwayKey() throws Exception {
        assertThat(oneLine("identity", "import", history.toString(), "--vault", vault("bob.vault")))
                .as("import prints the imported identifier").isEqualTo(aliceId);

        try (ChildJvm node = bobsNode("bob.vault")) {
            String[] ready = ready(node);
            assertThat(ready[2]).isEqualTo(bobId);
            int port = Integer.parseInt(ready[1]);
            assertRefused(node, port, "stolen.vault", bobId, "the stolen copy, after Bob imported Alice's rotated history");
            assertAccepted(port, "alice.vault", bobId, "Alice's current key");
        }
    }

    /**
     * Step 7: Carol's node has imported nothing. The stolen copy gets in while Carol has seen only the one-change
     * history; once Alice's rotated history arrives in a handshake it is refused, also after Carol's node restarts.
     */
    @Test
    void aRotatedHistorySeenInAHandshakeRevokesTheOldKeyAcrossARestart() throws Exception {
        try (ChildJvm node = bobsNode("carol.vault")) {
            int port = port(node);
            assertAccepted(port, "stolen.vault", carolId, "the stolen copy, before Carol's node heard of any rotation (control)");
            assertAccepted(port, "alice.vault", carolId, "Alice's current key, extending the history Carol's node knew");
            assertRefused(node, port, "stolen.vault", carolId, "the stolen copy, after Carol's node saw the rotated history");
            assertThat(node.terminate()).as("the node stops on SIGTERM; stderr " + node.stderr()).isEqualTo(143);
            assertThat(node.stdout()).contains("STOPPED");
        }
        try (ChildJvm node = bobsNode("carol.vault")) {
            int port = port(node);
            assertRefused(node, port, "stolen.vault", carolId, "the stolen copy, after Carol's node restarted");
            assertAccepted(port, "alice.vault", carolId, "Alice's current key, after Carol's node restarted");
        }
    }

    private record FileState(byte[] bytes, java.nio.file.attribute.FileTime mtime, Object fileKey, List<String> folder) {
    }

    private FileState state(Path file) throws Exception {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        List<String> folder;
        try (Stream<Path> s = Files.list(file.getParent())) {
            folder = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        return new FileState(Files.readAllBytes(file), a.lastModifiedTime(), a.fileKey(), folder);
    }

    private static void assertUnchanged(FileState before, FileState after, String what) {
        assertThat(after.bytes()).as(what + ": the vault's bytes").isEqualTo(before.bytes());
        assertThat(after.mtime()).as(what + ": the vault's modification time").isEqualTo(before.mtime());
        assertThat(after.fileKey()).as(what + ": the vault file (not replaced by a rename)").isEqualTo(before.fileKey());
        assertThat(after.folder()).as(what + ": the files next to the vault").isEqualTo(before.folder());
    }

    /** Step 8: identity show and identity list only read the vault (finding 8). */
    @Test
    void showAndListDoNotWriteTheVault() throws Exception {
        Path alice = dir.resolve("alice.vault");
        FileState before = state(alice);
        Thread.sleep(20); // a write now would get another modification time even on coarse clocks
        Result show = run("identity", "show", "--vault", vault("alice.vault"));
        assertThat(show.exit()).as(show.describe()).isZero();
        assertThat(show.stdout()).as(show.describe()).startsWith(aliceId).contains("changes: 3");
        FileState afterShow = state(alice);
        assertUnchanged(before, afterShow, "identity show");

        Result list = run("identity", "list", "--vault", vault("alice.vault"));
        assertThat(list.exit()).as(list.describe()).isZero();
        assertThat(list.stdout()).containsExactly("default " + aliceId);
        assertUnchanged(afterShow, state(alice), "identity list");
    }
}
