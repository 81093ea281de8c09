package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hopseal identity show|list --output json}. */
class IdentityOutputTest {
    private static final String NL = System.lineSeparator();

    @Test
    void showAndListPrintOneJsonDocument(@TempDir Path dir) {
        String vault = "file:" + dir.resolve("a.vault");
        String id = Captured.run("identity", "create", "--vault", vault).out().strip();
        String backup = Captured.run("identity", "create", "backup", "--key-type", "p256", "--vault", vault).out().strip();

        Captured show = Captured.run("identity", "show", "--vault", vault, "--output", "json");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).matches("\\{\"identifier\":\"" + id + "\",\"name\":\"default\",\"key_type\":\"ED25519\","
                + "\"public_key\":\"[0-9a-f]{64}\",\"changes\":1}" + NL);

        Captured list = Captured.run("identity", "list", "--vault", vault, "--output", "JSON");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).isIn("[{\"name\":\"default\",\"identifier\":\"" + id + "\"},{\"name\":\"backup\",\"identifier\":\"" + backup + "\"}]" + NL,
                "[{\"name\":\"backup\",\"identifier\":\"" + backup + "\"},{\"name\":\"default\",\"identifier\":\"" + id + "\"}]" + NL);
    }

    @Test
    void anEmptyVaultIsAnEmptyArrayAndTextStaysTheDefault(@TempDir Path dir) {
        assertThat(Captured.run("identity", "list", "--output", "json").out()).isEqualTo("[]" + NL);
        assertThat(Captured.run("identity", "list").out()).isEmpty();
        Captured bad = Captured.run("identity", "list", "--output", "yaml");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("hopseal identity list: Invalid value for option '--output': expected one of [text, json]");
    }

    @Test
    void jsonStringsAreEscaped() {
        assertThat(Json.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
        assertThat(new Json().put("name", (String) null).put("n", 2).toString()).isEqualTo("{\"name\":null,\"n\":2}");
    }
}
