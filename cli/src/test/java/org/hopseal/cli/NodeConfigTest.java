package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hopseal.api.identity.PostQuantum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code hopseal node --config FILE}: what the file sets, what the command line overrides, and every file refused. */
class NodeConfigTest {
    private static final String ALICE = "I" + "a1".repeat(32);
    private static final String BOB = "I" + "b2".repeat(32);
    private static final String AUTHORITY = "I" + "c3".repeat(32);

    /** Every option of the node, as the file writes it. */
    private static final String EVERY_OPTION = """
            # every option of hopseal node
            listen: 0.0.0.0:4000
            metrics: 127.0.0.1:9464
            relays: true
            relay: [db@relay1.example:4000, db@relay2.example:4000]
            max-connections: 256
            max-connections-per-host: 16
            relay-trust: [%1$s]
            idle-timeout: 5m
            forward: true
            forward-to:
              - 10.0.0.2:4000
              - 10.0.0.3:4000
            outlet:
              - postgres=127.0.0.1:5432
              - web=127.0.0.1:8080
            vault: file:/var/lib/hopseal/node.vault
            identity: service
            trust: [%1$s, %2$s]
            pq: required
            authority: [%3$s]
            credential: /etc/hopseal/node.credential
            policy: 'subject.role = "web" and subject.env in ["prod", "staging"]'
            """.formatted(ALICE, BOB, AUTHORITY);

    /** The same, as flags. */
    private static final String[] EVERY_FLAG = {"--listen", "0.0.0.0:4000", "--metrics", "127.0.0.1:9464", "--relays",
            "--relay", "db@relay1.example:4000", "--relay", "db@relay2.example:4000", "--max-connections", "256",
            "--max-connections-per-host", "16", "--relay-trust", ALICE, "--idle-timeout", "5m", "--forward",
            "--forward-to", "10.0.0.2:4000,10.0.0.3:4000", "--outlet", "postgres=127.0.0.1:5432", "--outlet", "web=127.0.0.1:8080",
            "--vault", "file:/var/lib/hopseal/node.vault", "--identity", "service", "--trust", ALICE, "--trust", BOB,
            "--pq", "required", "--authority", AUTHORITY, "--credential", "/etc/hopseal/node.credential",
            "--policy", "subject.role = \"web\" and subject.env in [\"prod\", \"staging\"]"};

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("node.yaml"), yaml, StandardCharsets.UTF_8);
    }

    /** The options of {@code hopseal node args...} once parsed (nothing runs), by name; {@code --config} left out. */
    private static Map<String, Object> parsed(String... args) {
        List<String> all = new ArrayList<>(List.of("node"));
        all.addAll(List.of(args));
        CommandSpec node = Main.commandLine().parseArgs(all.toArray(String[]::new)).subcommand().commandSpec();
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec option : node.options()) {
            if (!option.longestName().equals(ConfigDefaults.OPTION)) {
                values.put(option.longestName(), option.getValue());
            }
        }
        return values;
    }

    /** The exit status and standard error of {@code hopseal node --config file}. */
    private static Captured nodeWith(Path file) {
        return Captured.run("node", "--config", file.toString());
    }

    @Test
    void theFileAloneSetsWhatTheFlagsSet() throws Exception {
        Path config = file(EVERY_OPTION);
        Map<String, Object> fromFile = parsed("--config", config.toString());
        assertThat(fromFile).isEqualTo(parsed(EVERY_FLAG));
        assertThat(fromFile).as("a file's list replaces the default list, as a flag does")
                .containsEntry("--trust", List.of(ALICE, BOB)).containsEntry("--relay-trust", List.of(ALICE));
        assertThat(fromFile).containsEntry("--idle-timeout", Duration.ofMinutes(5)).containsEntry("--pq", PostQuantum.REQUIRED)
                .containsEntry("--max-connections", 256).containsEntry("--relays", true);
    }

    @Test
    void everyOptionOfTheNodeCanBeSetInAFile() throws Exception {
        Path config = file(EVERY_OPTION);
        CommandSpec node = Main.commandLine().getSubcommands().get("node").getCommandSpec();
        for (OptionSpec option : node.options()) {
            boolean settable = !option.inherited() && !option.usageHelp() && !option.versionHelp()
                    && !option.longestName().equals(ConfigDefaults.OPTION);
            if (settable) {
                String key = option.longestName().substring(2);
                assertThat(Files.readString(config)).as("the file of this test sets %s", key).containsPattern("(?m)^" + key + ":");
            }
        }
    }

    @Test
    void aFlagOverridesTheFileAndAListFlagReplacesTheFilesList() throws Exception {
        Path config = file("""
                listen: 127.0.0.1:4000
                max-connections: 256
                trust: [%s, %s]
                outlet: [db=127.0.0.1:5432]
                """.formatted(ALICE, BOB));
        Map<String, Object> options = parsed("--config", config.toString(), "--listen", "127.0.0.1:4001", "--trust", AUTHORITY);
        assertThat(options).containsEntry("--listen", "127.0.0.1:4001").containsEntry("--trust", List.of(AUTHORITY))
                .as("what the command line does not give comes from the file")
                .containsEntry("--max-connections", 256).containsEntry("--outlet", List.of("db=127.0.0.1:5432"));
        assertThat(parsed("--listen", "127.0.0.1:4001", "--config", config.toString()))
                .as("wherever --config stands").containsEntry("--listen", "127.0.0.1:4001");
    }

    @Test
    void whatTheFileLeavesOutKeepsItsDefault() throws Exception {
        Map<String, Object> options = parsed("--config", file("listen: 127.0.0.1:4000\n").toString());
        assertThat(options).isEqualTo(parsed("--listen", "127.0.0.1:4000"));
        assertThat(options).containsEntry("--trust", List.of("any")).containsEntry("--max-connections", 1024)
                .containsEntry("--vault", "software").containsEntry("--pq", PostQuantum.PREFERRED);
    }

    @Test
    void aListOptionTakesOneValueAsAListOfOne() throws Exception {
        Path config = file("listen: 127.0.0.1:4000\ntrust: " + ALICE + "\noutlet: db=127.0.0.1:5432\n");
        assertThat(parsed("--config", config.toString())).containsEntry("--trust", List.of(ALICE))
                .containsEntry("--outlet", List.of("db=127.0.0.1:5432"));
    }

    @Test
    void everyListOptionSplitsOnCommasSoThatAFilesListReachesItWhole() {
        for (OptionSpec option : Main.commandLine().getSubcommands().get("node").getCommandSpec().options()) {
            if (option.isMultiValue()) {
                assertThat(option.splitRegex()).as(option.longestName()).isEqualTo(",");
            }
        }
    }

    @Test
    void aValueIsTakenAsWritten() throws Exception {
        Path config = file("listen: 127.0.0.1:4000\npolicy: 'subject.role = \"${env:HOME}\" and subject.env = \"$$\"'\n");
        assertThat(parsed("--config", config.toString())).containsEntry("--policy", "subject.role = \"${env:HOME}\" and subject.env = \"$$\"");
    }

    @Test
    void anEmptyFileSetsNothing() throws Exception {
        Captured run = nodeWith(file("# nothing yet\n"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("hopseal node: give --listen HOST:PORT, or --relay NAME@HOST:PORT");
    }

    @Test
    void helpDoesNotReadTheFile() {
        Captured help = Captured.run("node", "--config", dir.resolve("absent.yaml").toString(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--config=FILE");
    }

    /** The one line {@code hopseal node --config file} prints for a file it refuses (exit status 2, as usage errors). */
    private static String refusal(Path file) {
        Captured run = nodeWith(file);
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        List<String> lines = run.err().lines().toList();
        assertThat(lines).as("one line, then where to read more; no stack trace").hasSize(2);
        assertThat(lines.get(1)).isEqualTo("Try 'hopseal node --help' for more information.");
        return lines.get(0);
    }

    @Test
    void anUnknownKeyIsRefusedWithItsLine() throws Exception {
        Path config = file("listen: 127.0.0.1:4000\n\nlissten: 127.0.0.1:4001\n");
        assertThat(refusal(config)).isEqualTo("hopseal node: " + config + ", line 3: lissten: not an option of hopseal node"
                + " (a key is the long name of one of its options without the dashes; see 'hopseal node --help')");
    }

    @Test
    void aKeyWithDashesIsRefusedWithTheKeyToWrite() throws Exception {
        Path config = file("--listen: 127.0.0.1:4000\n");
        assertThat(refusal(config)).isEqualTo("hopseal node: " + config + ", line 1: --listen: write the option's name without the dashes, as 'listen'");
    }

    @Test
    void anOptionOfAnotherCommandIsRefused() throws Exception {
        Path config = file("listen: 127.0.0.1:4000\ntimeout: 10s\n");
        assertThat(refusal(config)).isEqualTo("hopseal node: " + config + ", line 2: timeout: an option of hopseal send, not of hopseal node");
    }

    @Test
    void optionsThatAreNoSettingsOfTheNodeAreRefused() throws Exception {
        Path config = file("config: other.yaml\n");
        assertThat(refusal(config)).endsWith(", line 1: config: a config file cannot name another");
        assertThat(refusal(file("help: true\n"))).endsWith(", line 1: help: not a setting");
        assertThat(refusal(file("log-level: debug\n")))
                .endsWith(", line 1: log-level: an option of every hopseal command, not read from the file: give it on the command line");
    }

    @Test
    void aSecretIsNeverTakenFromTheFile() throws Exception {
        for (String key : List.of("passphrase", "pin", "vault-passphrase", "pin-source", "password", "secret", "kafka_password")) {
            Path config = file("listen: 127.0.0.1:4000\n" + key + ": \"1234\"\n");
            String line = refusal(config);
            assertThat(line).as(key).startsWith("hopseal node: " + config + ", line 2: " + key + ": a config file holds no secrets:")
                    .contains("pin-source=env:NAME").contains("HOPSEAL_VAULT_PASSPHRASE").doesNotContain("1234");
        }
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithItsKeyAndLine() throws Exception {
        assertThat(refusal(file("listen: 127.0.0.1:4000\nmax-connections: many\n")))
                .endsWith(", line 2: max-connections: takes a whole number, was the text 'many'");
        assertThat(refusal(file("max-connections: 99999999999\n"))).endsWith(", line 1: max-connections: '99999999999' is out of range");
        assertThat(refusal(file("max-connections: 1.5\n"))).endsWith(", line 1: max-connections: takes a whole number, was 1.5");
        assertThat(refusal(file("forward: yes\n"))).endsWith(", line 1: forward: takes true or false, was the text 'yes'");
        assertThat(refusal(file("listen: [127.0.0.1:4000, 127.0.0.1:4001]\n"))).endsWith(", line 1: listen: takes one value, not a list");
        assertThat(refusal(file("listen:\n  host: 127.0.0.1\n  port: 4000\n"))).endsWith(", line 2: listen: takes text, was a mapping");
        assertThat(refusal(file("listen:\n"))).endsWith(", line 1: listen: takes text, was empty");
        assertThat(refusal(file("vault: true\n"))).endsWith(", line 1: vault: takes text, was true");
        assertThat(refusal(file("vault: !ENV ${VAULT}\n"))).endsWith(", line 1: vault: takes text, was a value tagged !ENV");
        assertThat(refusal(file("pq: always\n"))).endsWith(", line 1: pq: 'always' is not one of off, preferred, required");
        assertThat(refusal(file("idle-timeout: 5 minutes\n")))
                .endsWith(", line 1: idle-timeout: '5 minutes' is not a duration such as 500ms, 10s, 5m, 1h or 30d");
    }

    @Test
    void aListsItemsAreTextsOneValueEach() throws Exception {
        assertThat(refusal(file("trust:\n  - " + ALICE + "\n  - [" + BOB + "]\n"))).endsWith(", line 3: trust: takes text, was a list");
        assertThat(refusal(file("trust: [\"" + ALICE + "," + BOB + "\"]\n")))
                .endsWith(", line 1: trust: '" + ALICE + "," + BOB + "' holds a ','; give each value as an item of the list");
        assertThat(refusal(file("trust: []\n"))).endsWith(", line 1: trust: is an empty list; leave the key out for the default");
        assertThat(refusal(file("forward-to: [true]\n"))).endsWith(", line 1: forward-to: takes text, was true");
    }

    @Test
    void aFileThatIsNoMappingOfOptionsIsRefused() throws Exception {
        Path config = file("listen: 127.0.0.1:4000\nlisten: 127.0.0.1:4001\n");
        assertThat(refusal(config)).isEqualTo("hopseal node: " + config + ", line 2: listen: given twice (first on line 1)");
        assertThat(refusal(file("- listen: 127.0.0.1:4000\n")))
                .endsWith(", line 1: the file must be a mapping of option names to values, such as 'listen: 127.0.0.1:4000'");
        assertThat(refusal(file("listen: 127.0.0.1:4000\n4000: listen\n"))).endsWith(", line 2: a key must be an option name");
    }

    @Test
    void aFileThatIsNoYamlIsRefusedWithItsLineAndColumn() throws Exception {
        Path config = file("listen: 127.0.0.1:4000\ntrust: [" + ALICE + "\nforward: true\n");
        assertThat(refusal(config)).startsWith("hopseal node: " + config + ", line 3, column 8: not YAML: ");
        assertThat(refusal(file("listen: 127.0.0.1:4000\n---\nlisten: 127.0.0.1:4001\n"))).contains(", line 2, column 1: not YAML: ");
    }

    @Test
    void aFileThatCannotBeReadIsRefused() throws Exception {
        Path absent = dir.resolve("absent.yaml");
        assertThat(refusal(absent)).isEqualTo("hopseal node: cannot read the config file " + absent + ": no such file");
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), "identity: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(refusal(latin1)).isEqualTo("hopseal node: the config file " + latin1 + " is not UTF-8 text");
        Path large = Files.writeString(dir.resolve("large.yaml"), "#".repeat(ConfigFile.MAX_BYTES) + "\n");
        assertThat(refusal(large)).isEqualTo("hopseal node: the config file " + large + " is larger than 1048576 bytes");
        assertThat(refusal(dir)).startsWith("hopseal node: cannot read the config file " + dir + ": ");
    }
}
