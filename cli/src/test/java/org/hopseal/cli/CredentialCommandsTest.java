package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the credential commands and options refuse, and what they print, in one process with in-memory vaults. */
class CredentialCommandsTest {
    @TempDir
    Path dir;

    /** The exit code, standard output and standard error of {@code hopseal args...}. */
    private static String run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            return Main.run(args) + " " + captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void attributesFollowTheCredentialRules() {
        assertThat(run("credential", "issue", "--for", "I" + "0".repeat(64), "--attr", "role")).startsWith("2 ")
                .contains("an attribute is NAME=VALUE, e.g. role=web; was 'role'");
        assertThat(run("credential", "issue", "--for", "I" + "0".repeat(64), "--attr", "Role=web")).startsWith("2 ")
                .contains("'Role' is not an attribute name");
        assertThat(run("credential", "issue", "--for", "I" + "0".repeat(64), "--attr", "identifier=x")).startsWith("2 ")
                .contains("'identifier' is not an attribute name");
    }

    @Test
    void anAttributeGivenTwiceIsRefused() {
        assertThatThrownBy(() -> AttributeConverter.toMap(List.of(Map.entry("role", "web"), Map.entry("role", "db"))))
                .hasMessage("attribute 'role' is given twice");
    }

    @Test
    void aPolicyWithASyntaxErrorStopsTheNodeWithItsPosition() {
        assertThat(run("node", "--listen", "127.0.0.1:0", "--policy", "subject.role == \"web\"")).startsWith("1 ")
                .contains("hopseal node: policy: expected a string in double quotes after '=' at position 15");
    }

    @Test
    void anAuthorityIsAnIdentifier() {
        assertThat(run("send", "--to", "127.0.0.1:1", "--authority", "nobody", "hi")).startsWith("1 ")
                .contains("'nobody' is not an identifier");
    }

    @Test
    void anAuthorityListeningEverywhereMustSayWhereMembersReachIt() {
        assertThat(run("authority", "serve", "--listen", "0.0.0.0:0")).startsWith("2 ").contains("give --advertise HOST:PORT");
    }

    @Test
    void showRefusesWhatIsNotACredential() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.cred"), "hello\n");
        assertThat(run("credential", "show", bad.toString())).startsWith("1 ")
                .contains("hopseal credential show: a credential's text starts with 'hopseal-credential:'");
        assertThat(run("credential", "show", dir.resolve("missing.cred").toString())).startsWith("1 ").contains("cannot read the credential");
    }

    @Test
    void issuingNeedsAnIdentityToSignWith() {
        assertThat(run("credential", "issue", "--for", "I" + "a".repeat(64), "--attr", "role=web")).as("an in-memory vault is empty")
                .startsWith("1 ").contains("the vault holds no identity");
    }
}
