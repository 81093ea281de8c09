package org.hopseal.cli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
            description = {"Creates an identity named NAME (or --identity NAME; default: 'default') and prints its identifier alone.",
                    "A file: vault that does not exist yet is created; a name the vault holds already is refused."},
            footer = {"", "Examples:", "  hopseal identity create --vault file:/var/lib/hopseal/alice.vault",
                    "  hopseal identity create backup --key-type p256 --vault file:/var/lib/hopseal/alice.vault",
                    "  hopseal identity create --vault 'pkcs11:token=hopseal;object=alice?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:HOPSEAL_PIN'"})
    static final class Create implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
                description = "the identity's name in the vault (default: --identity, else '" + StoredEntity.DEFAULT_NAME + "')")
        String name;

        @Option(names = "--key-type", defaultValue = "auto", paramLabel = "TYPE",
                description = "ed25519, p256, or auto (Ed25519 where the vault has it), in any case")
        String keyType;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            KeyType type = switch (keyType.toLowerCase(Locale.ROOT)) {
                case "auto" -> null;
                case "ed25519" -> KeyType.ED25519;
                case "p256" -> KeyType.ECDSA_P256;
                default -> throw new ParameterException(spec.commandLine(), "--key-type must be ed25519, p256 or auto, was '" + keyType + "'");
            };
            String name = name();
            StoredEntity.checkName(name);
            try (Vaults vaults = vault.openOrCreate(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                Entity e = type == null ? Entity.create(node.context(), vaults, name) : Entity.create(node.context(), vaults, name, type);
                if (vault.isInMemory()) {
                    System.err.println("hopseal identity create: warning: the software vault keeps keys in this process's memory only; this identity"
                            + " is gone when the command exits (keep one with --vault file:PATH or a PKCS#11 URI)");
                }
                System.out.println(e.identifier());
            }
            return 0;
        }

        /** NAME, else --identity, else 'default'; NAME and a different --identity are a usage error. */
        private String name() {
            if (name != null && vault.identity != null && !name.equals(vault.identity)) {
                throw new ParameterException(spec.commandLine(), "NAME '" + name + "' and --identity '" + vault.identity
                        + "' differ: give the new identity's name once");
            }
            return name != null ? name : vault.identity != null ? vault.identity : StoredEntity.DEFAULT_NAME;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = {"Prints an identity's identifier and public details.",
                    "Reads a file: vault without taking it, so this works while a node runs on it."},
            footer = {"", "Examples:", "  hopseal identity show --vault file:alice.vault", "  hopseal identity show --identity backup --vault file:alice.vault",
                    "  hopseal identity show --vault file:alice.vault --output json",
                    "", "With --output json: {\"identifier\":\"I...\",\"name\":\"default\" (null when unnamed),\"key_type\":\"ED25519\",",
                    "\"public_key\":\"hex\",\"changes\":1}"})
    static final class Show implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.openShared(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                Entity e = vault.existingEntity(node.context(), vaults);
                ChangeHistory h = e.changeHistory();
                String name = null;
                for (StoredEntity stored : Entity.list(vaults)) {
                    if (stored.identifier().equals(h.identifier()) && stored.isNamed()) {
                        name = stored.name();
                    }
                }
                String publicKey = HexFormat.of().formatHex(h.currentKey().bytes());
                if (output.json()) {
                    System.out.println(new Json().put("identifier", h.identifier().value()).put("name", name)
                            .put("key_type", h.currentKey().type().toString()).put("public_key", publicKey).put("changes", h.keys().size()));
                    return 0;
                }
                System.out.println(h.identifier());
                if (name != null) {
                    System.out.println("name: " + name);
                }
                System.out.println("key-type: " + h.currentKey().type());
                System.out.println("public-key: " + publicKey);
                System.out.println("changes: " + h.keys().size());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Prints the identities in a vault, one a line: name (- for an unnamed one) and identifier.",
                    "Reads a file: vault without taking it, so this works while a node runs on it."},
            footer = {"", "Examples:", "  hopseal identity list --vault file:alice.vault", "  hopseal identity list --vault file:alice.vault --output json",
                    "", "With --output json: [{\"name\":\"default\" (null when unnamed),\"identifier\":\"I...\"}, ...]"})
    static final class ListIdentities implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.openShared()) {
                List<Json> json = new ArrayList<>();
                for (StoredEntity e : Entity.list(vaults)) {
                    if (output.json()) {
                        json.add(new Json().put("name", e.isNamed() ? e.name() : null).put("identifier", e.identifier().value()));
                    } else {
                        System.out.println((e.isNamed() ? e.name() : "-") + " " + e.identifier());
                    }
                }
                if (output.json()) {
                    System.out.println(Json.array(json));
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
