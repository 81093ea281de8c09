package org.hopseal.cli;

import java.io.Console;
import java.util.Optional;
import org.hopseal.api.vault.PassphrasePrompt;
import org.hopseal.api.vault.VaultOpenOptions;

/** Asks for a vault's passphrase in the terminal, without echo; only when the command runs in one. */
final class ConsolePrompt implements PassphrasePrompt {
    private final Console console;

    private ConsolePrompt(Console console) {
        this.console = console;
    }

    /** The prompt of this process's terminal, if it has one. */
    static Optional<PassphrasePrompt> ofTerminal() {
        return Optional.ofNullable(System.console()).map(ConsolePrompt::new);
    }

    /** Options that ask in the terminal, if there is one, when nothing else gives a passphrase. */
    static VaultOpenOptions openOptions() {
        return ofTerminal().map(VaultOpenOptions.defaults()::withPrompt).orElse(VaultOpenOptions.defaults());
    }

    @Override
    public char[] ask(String question) {
        return console.readPassword("%s", question);
    }
}
