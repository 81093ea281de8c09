package org.hopseal.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hopseal completion bash|zsh}: prints the shell completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a completion script for bash or zsh on standard output: load it in the shell to complete",
                "hopseal's commands and options with TAB. The zsh script is the bash one, for zsh's bash completion:",
                "it needs 'autoload -U +X compinit && compinit' and 'autoload -U +X bashcompinit && bashcompinit' first."},
        footer = {"", "Examples:", "  source <(hopseal completion bash)",
                "  hopseal completion bash > /etc/bash_completion.d/hopseal",
                "  autoload -U +X compinit && compinit; autoload -U +X bashcompinit && bashcompinit; source <(hopseal completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
    /** The shells the script is for. */
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        System.out.flush();
        return 0;
    }
}
