package org.hopseal.cli;

import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hopseal identity create|show|list}. */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Creates and inspects identities kept in a vault.",
        subcommands = {IdentityCommand.Create.class, IdentityCommand.Show.class, IdentityCommand.ListIdentities.class,
                IdentityHistoryCommands.Rotate.class, IdentityHistoryCommands.Export.class, IdentityHistoryCommands.Import.class})
final class IdentityCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an identity and prints its identifier alone.",
            footer = {"", "Examples:", "  hopseal identity create --vault file:/var/lib/hopseal/alice.vault",
                    "  hopseal identity create --key-type p256 --vault 'pkcs11:token=hopseal;object=alice?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:HOPSEAL_PIN'"})
    static final class Create implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Option(names = "--key-type", defaultValue = "auto", description = "ed25519, p256, or auto (Ed25519 where the vault has it)")
        String keyType;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.open(); Node node = Node.builder().vaults(vaults).start()) {
                CoreEntity e = switch (keyType) {
                    case "auto" -> CoreEntity.create(node.context(), vaults);
                    case "ed25519" -> CoreEntity.create(node.context(), vaults, KeyType.ED25519, java.time.InstantSource.system());
                    case "p256" -> CoreEntity.create(node.context(), vaults, KeyType.ECDSA_P256, java.time.InstantSource.system());
                    default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "--key-type must be ed25519, p256 or auto");
                };
                System.out.println(e.identifier());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints an identity's identifier and public details.",
            footer = {"", "Example:", "  hopseal identity show --vault file:alice.vault"})
    static final class Show implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.open(); Node node = Node.builder().vaults(vaults).start()) {
                if (vault.identity == null && CoreEntity.list(vaults).isEmpty()) {
                    System.err.println("hopseal: the vault holds no identity; create one with 'hopseal identity create'");
                    return 1;
                }
                CoreEntity e = vault.entity(node.context(), vaults);
                ChangeHistory h = e.changeHistory();
                System.out.println(h.identifier());
                System.out.println("key-type: " + h.currentKey().type());
                System.out.println("public-key: " + HexFormat.of().formatHex(h.currentKey().bytes()));
                System.out.println("changes: " + h.keys().size());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints the identifiers in a vault, one a line.",
            footer = {"", "Example:", "  hopseal identity list --vault file:alice.vault"})
    static final class ListIdentities implements Callable<Integer> {
        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.open()) {
                for (Identifier id : CoreEntity.list(vaults)) {
                    System.out.println(id);
                }
            }
            return 0;
        }
    }
}
