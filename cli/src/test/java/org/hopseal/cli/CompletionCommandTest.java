package org.hopseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code hopseal completion bash|zsh}. */
class CompletionCommandTest {
    @Test
    void bashAndZshGetACompletionScriptForEverySubcommandAndItsOptions() {
        for (String shell : new String[] {"bash", "zsh"}) {
            Captured run = Captured.run("completion", shell);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("complete -F _complete_hopseal", "function _picocli_hopseal_identity_create()",
                    "function _picocli_hopseal_send()", "--log-level", "--vault");
        }
    }

    @Test
    void anotherShellIsAUsageError() {
        Captured run = Captured.run("completion", "fish");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("fish").contains("bash, zsh");
        assertThat(run.out()).isEmpty();
    }
}
