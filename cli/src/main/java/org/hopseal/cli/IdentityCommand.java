package org.hopseal.cli;

import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.StoredEntity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hopseal identity create|show|list|delete} (and rotate, export, import: {@link IdentityHistoryCommands}). */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Creates and inspects identities kept in a vault.",
        subcommands = {IdentityCommand.Create.class, IdentityCommand.Show.class, IdentityCommand.ListIdentities.class,
                IdentityCommand.Delete.class, IdentityHistoryCommands.Rotate.class, IdentityHistoryCommands.Export.class,
                IdentityHistoryCommands.Import.class})
final class IdentityCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates an identity named NAME (default: 'default') and prints its identifier alone.",
                    "A file: vault that does not exist yet is created; a name the vault holds already is refused."},
            footer = {"", "Examples:", "  hopseal identity create --vault file:/var/lib/hopseal/alice.vault",
                    "  hopseal identity create backup --key-type p256 --vault file:/var/lib/hopseal/alice.vault",
                    "  hopseal identity create --vault 'pkcs11:token=hopseal;object=alice?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:HOPSEAL_PIN'"})
    static final class Create implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Parameters(index = "0", arity = "0..1", defaultValue = StoredEntity.DEFAULT_NAME, paramLabel = "NAME",
                description = "the identity's name in the vault (default: ${DEFAULT-VALUE})")
        String name;

        @Option(names = "--key-type", defaultValue = "auto", description = "ed25519, p256, or auto (Ed25519 where the vault has it)")
        String keyType;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            KeyType type = switch (keyType) {
                case "auto" -> null;
                case "ed25519" -> KeyType.ED25519;
                case "p256" -> KeyType.ECDSA_P256;
                default -> throw new ParameterException(spec.commandLine(), "--key-type must be ed25519, p256 or auto");
            };
            StoredEntity.checkName(name);
            try (Vaults vaults = vault.openOrCreate(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                Entity e = type == null ? Entity.create(node.context(), vaults, name) : Entity.create(node.context(), vaults, name, type);
                if (vault.isInMemory()) {
                    System.err.println("hopseal: warning: the software vault keeps keys in this process's memory only; this identity"
                            + " is gone when the command exits (keep one with --vault file:PATH or a PKCS#11 URI)");
                }
                System.out.println(e.identifier());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints an identity's identifier and public details.",
            footer = {"", "Examples:", "  hopseal identity show --vault file:alice.vault", "  hopseal identity show --identity backup --vault file:alice.vault"})
    static final class Show implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.open(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                Entity e = vault.existingEntity(node.context(), vaults);
                ChangeHistory h = e.changeHistory();
                System.out.println(h.identifier());
                for (StoredEntity stored : Entity.list(vaults)) {
                    if (stored.identifier().equals(h.identifier()) && stored.isNamed()) {
                        System.out.println("name: " + stored.name());
                    }
                }
                System.out.println("key-type: " + h.currentKey().type());
                System.out.println("public-key: " + HexFormat.of().formatHex(h.currentKey().bytes()));
                System.out.println("changes: " + h.keys().size());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Prints the identities in a vault, one a line: name (- for an unnamed one) and identifier.",
            footer = {"", "Example:", "  hopseal identity list --vault file:alice.vault"})
    static final class ListIdentities implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.open()) {
                for (StoredEntity e : Entity.list(vaults)) {
                    System.out.println((e.isNamed() ? e.name() : "-") + " " + e.identifier());
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Deletes an identity, named or identified, from the vault: its record and its keys.",
                    "Prints the identifier deleted. Peers that imported it keep it as a known identity."},
            footer = {"", "Example:", "  hopseal identity delete backup --vault file:alice.vault"})
    static final class Delete implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME|ID", description = "the identity to delete (or --identity)")
        String identity;

        @Override
        public Integer call() throws Exception {
            String target = identity != null ? identity : vault.identity;
            if (target == null) {
                throw new IdentityException(ErrorKind.INVALID, "name the identity to delete: 'hopseal identity delete NAME|ID --vault "
                        + vault.vault + "'");
            }
            try (Vaults vaults = vault.open()) {
                System.out.println(Entity.delete(vaults, target).identifier());
            }
            return 0;
        }
    }
}
