package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

/** Help texts and usage errors. */
class HelpTest {
    private static final String NL = System.lineSeparator();

    @Test
    void theTopHelpListsEveryCommandWithAWholeSentence() {
        Captured help = Captured.run("--help");
        assertThat(help.exit()).isZero();
        for (String command : new String[] {"demo", "example", "identity", "node", "send", "inlet", "authority", "enroll", "credential", "vault", "vectors",
                "noise", "bench", "soak", "completion", "help"}) {
            assertThat(help.out()).containsPattern("(?m)^  " + command + " +\\S");
        }
        // picocli alone cut these after their description's first line.
        assertThat(help.out()).contains("prints the reply alone on standard").contains("connects to its service.")
                .contains("find it and renew it before it expires.");
    }

    @Test
    void aSentenceEndsAtAFullStopNotAnEllipsis() {
        CommandSpec spec = CommandSpec.create();
        spec.usageMessage().description("Uses 'a ... b' and", "more. Then more.");
        assertThat(CommandList.summary(spec)).isEqualTo("Uses 'a ... b' and more.");
    }

    @Test
    void benchAndSoakPrintTheirHelpAndStartNothing() {
        Captured soak = Captured.run("soak", "--help");
        assertThat(soak.exit()).isZero();
        assertThat(soak.out()).startsWith("Usage: hopseal soak").contains("--channels=N", "--minutes=T");
        Captured bench = Captured.run("bench", "--help");
        assertThat(bench.exit()).isZero();
        assertThat(bench.out()).startsWith("Usage: hopseal bench").contains("--quick", "--tls-check", "--relays");
        assertThat(Captured.run("help", "soak").out()).startsWith("Usage: hopseal soak");
    }

    @Test
    void aBadSoakOptionIsAUsageErrorWithoutAStackTrace() {
        Captured soak = Captured.run("soak", "--chanels", "3");
        assertThat(soak.exit()).isEqualTo(2);
        assertThat(soak.err()).startsWith("hopseal soak: Unknown options: '--chanels', '3'" + NL).doesNotContain("\tat ")
                .endsWith("Try 'hopseal soak --help' for more information." + NL);
    }

    @Test
    void aUsageErrorIsOneLineAndWhereToReadMore() {
        Captured run = Captured.run("identity", "create", "--bogus");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("hopseal identity create: Unknown option: '--bogus'" + NL
                + "Try 'hopseal identity create --help' for more information." + NL);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMistypedCommandGetsSuggestions() {
        Captured run = Captured.run("idenity");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("hopseal: ").contains("Did you mean: hopseal identity")
                .endsWith("Try 'hopseal --help' for more information." + NL);
    }

    @Test
    void aFailureOfANestedCommandNamesTheWholeCommand() {
        Captured run = Captured.run("identity", "show", "--vault", "file:/nonexistent/alice.vault");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("hopseal identity show: the vault file /nonexistent/alice.vault does not exist");
    }
}
