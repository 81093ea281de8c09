package org.hopseal.it.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.it.ChildJvm;
import org.hopseal.testing.Await;
import org.hopseal.vault.pkcs11.SoftHsm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials (issue 20) through the {@code hopseal} command in child processes on loopback: an authority issues
 * {@code role=web} to a client; a node with {@code --authority A --policy 'subject.role = "web"'} admits it and refuses
 * {@code role=db}, no credential, another authority's, a tampered and an expired one; a ticket enrolls once, and its
 * secret parts appear in no output, at debug level; renewed credentials keep a portal connection open across several
 * expiries, and one that is not renewed ends it; an authority on SoftHSM issues credentials that verify.
 */
@Timeout(300)
class CredentialsIT {
    private static final Duration T = Duration.ofSeconds(60);
    private static final Map<String, String> ENV = Map.of("HOPSEAL_VAULT_PASSPHRASE", "credentials it passphrase");
    private static final String WEB_ONLY = "subject.role = \"web\"";

    @TempDir
    static Path vaults;
    /** Vault name to the identifier of the identity it holds. */
    private static final Map<String, String> IDS = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    @BeforeAll
    static void createIdentities() throws Exception {
        List<String> names = List.of("authority", "other-authority", "client", "member1", "member2");
        List<ChildJvm> creating = new ArrayList<>();
        try {
            for (String name : names) {
                creating.add(ChildJvm.hopseal(ENV, "identity", "create", "--vault", vault(name)));
            }
            for (int i = 0; i < names.size(); i++) {
                ChildJvm create = creating.get(i);
                assertThat(create.waitFor(T)).as(String.join("\n", create.stderr())).isZero();
                IDS.put(names.get(i), create.stdout().get(0));
            }
        } finally {
            for (ChildJvm create : creating) {
                create.close();
            }
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    private static String vault(String name) {
        return "file:" + vaults.resolve(name + ".vault") + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1";
    }

    private <C extends AutoCloseable> C track(C c) {
        started.push(c);
        return c;
    }

    /** A command run to its end. */
    private record Result(int exit, List<String> out, List<String> err) {
        String errText() {
            return String.join("\n", err);
        }
    }

    private static Result run(String... args) throws Exception {
        try (ChildJvm c = ChildJvm.hopseal(ENV, args)) {
            int exit = c.waitFor(T);
            return new Result(exit, c.stdout(), c.stderr());
        }
    }

    /** Runs a command that must succeed and print one line; returns it. */
    private static String line(String... args) throws Exception {
        Result r = run(args);
        assertThat(r.exit()).as(r.errText()).isZero();
        assertThat(r.out()).hasSize(1);
        return r.out().get(0);
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text + "\n");
    }

    /** A node running in a child JVM, and the port it listens on. */
    private record RunningNode(ChildJvm process, int port) {
    }

    /** A node whose listener admits only peers with a web credential from {@code authority}. */
    private RunningNode startWebOnlyNode(String authority, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("node", "--listen", "127.0.0.1:0", "--authority", authority, "--policy", WEB_ONLY));
        args.addAll(List.of(more));
        ChildJvm node = track(ChildJvm.hopseal(ENV, args.toArray(String[]::new)));
        return new RunningNode(node, Integer.parseInt(node.awaitLine("LISTENING", T).split(" ")[1]));
    }

    private static Result send(int port, String... credentialArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("send", "--to", "127.0.0.1:" + port, "--vault", vault("client")));
        args.addAll(List.of(credentialArgs));
        args.add("hello");
        return run(args.toArray(String[]::new));
    }

    /** The same credential with one bit of its signature flipped. */
    private static String tampered(String credential) {
        String prefix = "hopseal-credential:";
        byte[] bytes = Base64.getUrlDecoder().decode(credential.substring(prefix.length()));
        bytes[bytes.length - 1] ^= 1;
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void aNodeAdmitsTheWebCredentialOfItsAuthorityAndRefusesEveryOther() throws Exception {
        String client = IDS.get("client");
        String authority = IDS.get("authority");
        String web = line("credential", "issue", "--vault", vault("authority"), "--for", client, "--attr", "role=web", "--ttl", "1h");
        String db = line("credential", "issue", "--vault", vault("authority"), "--for", client, "--attr", "role=db", "--ttl", "1h");
        String foreign = line("credential", "issue", "--vault", vault("other-authority"), "--for", client, "--attr", "role=web");
        String shortLived = line("credential", "issue", "--vault", vault("authority"), "--for", client, "--attr", "role=web", "--ttl", "1s");
        Instant shortLivedIssued = Instant.now();
        Result shown = run("credential", "show", file("web.cred", web).toString());
        assertThat(shown.out()).contains("authority:  " + authority, "subject:    " + client, "attributes: role=web");
        int port = startWebOnlyNode(authority).port();

        Result admitted = send(port, "--credential", file("web.cred", web).toString());
        assertThat(admitted.exit()).as(admitted.errText()).isZero();
        assertThat(admitted.out()).containsExactly("hello");

        for (Map.Entry<String, String> refused : Map.of("db", db, "foreign", foreign, "tampered", tampered(web)).entrySet()) {
            Result r = send(port, "--credential", file(refused.getKey() + ".cred", refused.getValue()).toString());
            assertThat(r.exit()).as(refused.getKey()).isEqualTo(1);
            assertThat(r.errText()).as(refused.getKey()).contains("the peer refused the secure channel");
        }
        Result none = send(port);
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.errText()).contains("the peer refused the secure channel");

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), shortLivedIssued.plusSeconds(2)).toMillis()));
        Result expired = send(port, "--credential", file("expired.cred", shortLived).toString());
        assertThat(expired.exit()).isEqualTo(1);
        assertThat(expired.errText()).contains("the peer refused the secure channel");
    }

    @Test
    void aTicketEnrollsOnceAndRenewedCredentialsKeepAPortalConnectionOpenAcrossExpiries() throws Exception {
        String authority = IDS.get("authority");
        ChildJvm serve = track(ChildJvm.hopseal(ENV, "authority", "serve", "--listen", "127.0.0.1:0", "--vault", vault("authority"),
                "--credential-ttl", "3s", "--log-level", "debug"));
        assertThat(serve.awaitLine("AUTHORITY", T).split(" ")[2]).isEqualTo(authority);
        // While the authority runs on its vault, the ticket command opens the same vault read-only.
        String ticket = line("authority", "ticket", "--vault", vault("authority"), "--attr", "role=web", "--attr", "env=test");
        assertThat(ticket).startsWith("hopseal-ticket:");

        Result enrolled = run("enroll", ticket, "--vault", vault("member1"), "--log-level", "debug");
        assertThat(enrolled.exit()).as(enrolled.errText()).isZero();
        assertThat(enrolled.out()).singleElement().asString()
                .startsWith("ENROLLED " + IDS.get("member1") + " env=test,role=web " + authority + " ");
        Result second = run("enroll", ticket, "--vault", vault("member2"), "--log-level", "debug");
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.errText()).contains("refused: the ticket was used 1 time(s) already");

        try (ServerSocket echo = new ServerSocket()) {
            echo.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread.ofVirtual().start(() -> echoOnce(echo));
            int port = startWebOnlyNode(authority, "--outlet", "echo=127.0.0.1:" + echo.getLocalPort()).port();
            ChildJvm inlet = track(ChildJvm.hopseal(ENV, "inlet", "--from", "127.0.0.1:0", "--to", "127.0.0.1:" + port, "--outlet", "echo",
                    "--vault", vault("member1")));
            int inletPort = Integer.parseInt(inlet.awaitLine("INLET", T).split(" ")[1]);
            try (Socket s = new Socket("127.0.0.1", inletPort)) {
                s.setSoTimeout(10_000);
                Instant end = Instant.now().plusSeconds(10); // more than three lifetimes of a credential
                int round = 0;
                while (Instant.now().isBefore(end)) {
                    byte[] sent = ("round " + round++ + "\n").getBytes(StandardCharsets.US_ASCII);
                    s.getOutputStream().write(sent);
                    assertThat(s.getInputStream().readNBytes(sent.length)).as("echoed through the portal").isEqualTo(sent);
                    Thread.sleep(250);
                }
                assertThat(round).isGreaterThan(20);
            }
        }

        // The authority's whole output, enrollments and renewals at debug level included, and the members'.
        serve.terminate();
        assertThat(serve.stderr()).as("the authority logged at debug level").anyMatch(l -> l.startsWith("DEBUG "));
        Map<String, String> secrets = secretParts(ticket);
        for (Map.Entry<String, List<String>> output : Map.of("authority serve", outputOf(serve.stdout(), serve.stderr()),
                "enroll", outputOf(enrolled.out(), enrolled.err()), "the second enroll", outputOf(second.out(), second.err())).entrySet()) {
            String text = String.join("\n", output.getValue()).toLowerCase(Locale.ROOT);
            List<String> shown = secrets.entrySet().stream().filter(secret -> text.contains(secret.getValue().toLowerCase(Locale.ROOT)))
                    .map(Map.Entry::getKey).toList();
            assertThat(shown).as("the ticket's secret parts in the output of " + output.getKey()).isEmpty();
        }
    }

    private static List<String> outputOf(List<String> stdout, List<String> stderr) {
        List<String> all = new ArrayList<>(stdout);
        all.addAll(stderr);
        return all;
    }

    /**
     * What of a ticket must never be logged, named, in the forms a log could show it: the whole line, its encoding, and
     * its one-time id and signature (with the public rest of the body, enough to use it) in hex and in base64. The
     * names, not the secrets, are what a failure shows.
     */
    private static Map<String, String> secretParts(String ticketLine) throws Exception {
        EnrollmentTicket ticket = EnrollmentTicket.parse(ticketLine);
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("the ticket line", ticketLine);
        parts.put("the ticket's encoding", ticketLine.substring(EnrollmentTicket.TEXT_PREFIX.length()));
        for (Map.Entry<String, byte[]> secret : Map.of("id", ticket.id(), "signature", ticket.signature()).entrySet()) {
            parts.put("the " + secret.getKey() + " in hex", HexFormat.of().formatHex(secret.getValue()));
            parts.put("the " + secret.getKey() + " in base64", Base64.getEncoder().withoutPadding().encodeToString(secret.getValue()));
            parts.put("the " + secret.getKey() + " in base64url",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getValue()));
        }
        return parts;
    }

    /**
     * The control for the renewal test: a credential given as a file is never renewed, so when it expires the node
     * closes the channel, and the portal connection through it ends. Its lifetime covers starting the inlet and one
     * round trip; the test then waits for the end, however long it takes, and for the node's reason.
     */
    @Test
    void aCredentialThatIsNotRenewedEndsThePortalConnectionWhenItExpires() throws Exception {
        String client = IDS.get("client");
        try (ServerSocket echo = new ServerSocket()) {
            echo.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread.ofVirtual().start(() -> echoOnce(echo));
            RunningNode node = startWebOnlyNode(IDS.get("authority"), "--outlet", "echo=127.0.0.1:" + echo.getLocalPort());
            String shortLived = line("credential", "issue", "--vault", vault("authority"), "--for", client, "--attr", "role=web",
                    "--ttl", "10s");
            ChildJvm inlet = track(ChildJvm.hopseal(ENV, "inlet", "--from", "127.0.0.1:0", "--to", "127.0.0.1:" + node.port(), "--outlet",
                    "echo", "--vault", vault("client"), "--credential", file("short.cred", shortLived).toString()));
            int inletPort = Integer.parseInt(inlet.awaitLine("INLET", T).split(" ")[1]);
            try (Socket s = new Socket("127.0.0.1", inletPort)) {
                s.setSoTimeout((int) T.toMillis());
                byte[] sent = "before the expiry\n".getBytes(StandardCharsets.US_ASCII);
                s.getOutputStream().write(sent);
                assertThat(s.getInputStream().readNBytes(sent.length)).as("echoed through the portal").isEqualTo(sent);

                assertThat(endOfStream(s)).as("the portal connection ended after the credential expired").isTrue();
            }
            Await.await("the node's reason for closing the channel", T, () -> String.join("\n", node.process().stderr())
                    .contains("no longer accepts " + client + " with its credentials expired"));
        }
    }

    /** Whether the connection ends (the peer closes or resets it) before a read times out. */
    private static boolean endOfStream(Socket s) throws Exception {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static void echoOnce(ServerSocket server) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            in.transferTo(out);
        } catch (Exception e) {
            // the test is over
        }
    }

    @Test
    void anAuthorityWhoseKeyIsOnSoftHsmIssuesCredentialsThatVerify() throws Exception {
        SoftHsm.require();
        String hsm = SoftHsm.uri(SoftHsm.TOKEN, "credential-authority", "env:" + SoftHsm.PIN_ENV);
        String authority = line("identity", "create", "--key-type", "p256", "--vault", hsm);
        String web = line("credential", "issue", "--vault", hsm, "--for", IDS.get("client"), "--attr", "role=web");
        int port = startWebOnlyNode(authority).port();

        Result admitted = send(port, "--credential", file("hsm-web.cred", web).toString());

        assertThat(admitted.exit()).as(admitted.errText()).isZero();
        assertThat(admitted.out()).containsExactly("hello");
    }
}
