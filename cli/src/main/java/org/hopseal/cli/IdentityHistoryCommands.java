package org.hopseal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.vault.Vaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code hopseal identity rotate|export|import}: rotating an identity's key, and carrying its rotated history to the
 * nodes that must refuse the keys it rotated away.
 */
final class IdentityHistoryCommands {
    private IdentityHistoryCommands() {
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Replaces the identity's key; prints the identifier (unchanged).",
                    "Nodes that see the new history (in a handshake, or by 'identity import') refuse the old key from then on."},
            footer = {"", "Example:", "  hopseal identity rotate --vault file:alice.vault"})
    static final class Rotate implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.open(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                Entity e = vault.existingEntity(node.context(), vaults);
                e.rotateKey();
                System.out.println(e.identifier());
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Prints the identity's public change history as one line of hex, for 'identity import' elsewhere.",
                    "Reads a file: vault without taking it, so this works while a node runs on it."},
            footer = {"", "Example:", "  hopseal identity export --vault file:alice.vault > alice.history"})
    static final class Export implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.openShared(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                System.out.println(HexFormat.of().formatHex(vault.existingEntity(node.context(), vaults).changeHistory().encoded()));
            }
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Verifies an exported history (FILE, or - for standard input) and keeps it as a known identity of",
                    "the vault's identity: its nodes then refuse every key that history rotated away. Prints the identifier."},
            footer = {"", "Example:", "  hopseal identity import alice.history --vault file:bob.vault"})
    static final class Import implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Parameters(paramLabel = "FILE", description = "the exported history, or - for standard input")
        String file;

        @Override
        public Integer call() throws Exception {
            byte[] history = read(file);
            try (Vaults vaults = vault.open(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                PeerIdentity peer = vault.existingEntity(node.context(), vaults).importContact(history);
                System.out.println(peer.identifier());
            }
            return 0;
        }

        private static byte[] read(String file) throws IOException, IdentityException {
            String text;
            if (file.equals("-")) {
                try (InputStream in = System.in) {
                    text = new String(in.readNBytes(1 << 20), StandardCharsets.US_ASCII);
                }
            } else {
                text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
            }
            try {
                return HexFormat.of().parseHex(text.strip());
            } catch (IllegalArgumentException e) {
                throw new IdentityException(ErrorKind.INVALID, "'" + file + "' does not hold an exported history (one line of hex)");
            }
        }
    }
}
