package org.hopseal.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.PassphrasePrompt;
import org.hopseal.api.vault.PassphraseProtected;
import org.hopseal.api.vault.SecretSource;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hopseal vault change-passphrase}. */
@Command(name = "vault", mixinStandardHelpOptions = true, description = "Looks after a vault itself: changes a file vault's passphrase.",
        subcommands = {VaultCommand.ChangePassphrase.class})
final class VaultCommand {
    private VaultCommand() {
    }

    @Command(name = "change-passphrase", mixinStandardHelpOptions = true,
            description = {"Re-encrypts a file: vault under a new passphrase, asked twice in the terminal (or read from",
                    "--new-passphrase-source). The current passphrase comes as for every command: the spec's passphrase-source,",
                    "else HOPSEAL_VAULT_PASSPHRASE, else the terminal. The old file stays valid until the new one replaces it",
                    "whole (an interrupted change loses no key). Refused while another process, such as a node, holds the vault."},
            footer = {"", "Examples:", "  hopseal vault change-passphrase --vault file:/var/lib/hopseal/alice.vault",
                    "  hopseal vault change-passphrase --vault 'file:alice.vault?passphrase-source=file:/run/secrets/old' \\",
                    "      --new-passphrase-source file:/run/secrets/new",
                    "", "A PKCS#11 token has a PIN instead, changed with the token's own tools."})
    static final class ChangePassphrase implements Callable<Integer> {
        @Option(names = "--vault", required = true, paramLabel = "SPEC",
                description = "the vault: file:PATH, or file:PATH?passphrase-source=env:NAME|file:PATH")
        String vault;

        @Option(names = "--new-passphrase-source", paramLabel = "env:NAME|file:PATH",
                description = {"read the new passphrase from this variable or file (its first line)", "instead of asking for it in the terminal"})
        String newSource;

        @Override
        public Integer call() throws Exception {
            VaultSpec spec = VaultSpec.parse(vault);
            refuseWithoutPassphrase(spec);
            Optional<SecretSource> source = newSource == null ? Optional.empty()
                    : Optional.of(SecretSource.parse("--new-passphrase-source", newSource));
            Optional<PassphrasePrompt> terminal = ConsolePrompt.ofTerminal();
            if (source.isEmpty() && terminal.isEmpty()) {
                throw new VaultException(ErrorKind.INVALID, "no terminal to ask the new passphrase in: give --new-passphrase-source"
                        + " env:NAME|file:PATH");
            }
            Path file;
            try (Vaults vaults = VaultOptions.openExisting(vault)) {
                file = VaultOptions.filePath(spec).orElseThrow().toAbsolutePath(); // opened, so the spec has a path
                char[] next = source.isPresent() ? source.get().read() : terminal.get().askNew(file.toString());
                ((PassphraseProtected) vaults.identity()).changePassphrase(next);
            }
            System.out.println("changed the passphrase of the vault " + file);
            return 0;
        }

        /** Only a file vault has a passphrase. */
        private static void refuseWithoutPassphrase(VaultSpec spec) throws VaultException {
            if (spec.scheme().equals("file")) {
                return;
            }
            throw new VaultException(ErrorKind.UNSUPPORTED, spec.scheme().equals("pkcs11")
                    ? "a PKCS#11 token has a PIN, not a passphrase: change it with the token's own tools (for example"
                            + " 'pkcs11-tool --module MODULE --login --change-pin', or 'tpm2_ptool changepin' for a TPM), then its pin-source"
                    : "the " + spec.scheme() + " vault has no passphrase; only a file: vault has one");
        }
    }
}
