package org.hopseal.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.StoredEntity;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.vault.file.FileVaultProvider;
import picocli.CommandLine.Option;

/** The {@code --vault} and {@code --identity} options, shared by the commands that use an identity. */
final class VaultOptions {
    @Option(names = "--vault", defaultValue = "software", paramLabel = "SPEC",
            description = {"where keys live: software (in memory, the default), file:PATH (its passphrase from",
                    "?passphrase-source=env:NAME|file:PATH, else HOPSEAL_VAULT_PASSPHRASE, else asked in the terminal),",
                    "or a PKCS#11 URI such as pkcs11:token=hopseal;object=alice?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:HOPSEAL_PIN"})
    String vault;

    @Option(names = "--identity", paramLabel = "NAME|ID", description = {"the identity to use, by name or identifier",
            "(default: the one named 'default', else the vault's only identity)"})
    String identity;

    /**
     * Opens an existing vault to change it, holding it: a {@code file:} vault that does not exist is refused (a typo
     * must not start a node on a new, empty vault), and so is one that another process holds. A file vault takes its
     * passphrase from its {@code passphrase-source}, else {@code HOPSEAL_VAULT_PASSPHRASE}, else asks for it when the
     * command runs in a terminal.
     */
    Vaults open() throws HopsealException {
        return openExisting(vault);
    }

    /** Opens the existing vault {@code vault} as {@link #open()} does. */
    static Vaults openExisting(String vault) throws HopsealException {
        requireFile(vault);
        return openSpec(vault);
    }

    private static void requireFile(String vault) throws VaultException {
        Optional<Path> file = filePath(VaultSpec.parse(vault));
        if (file.isPresent() && !Files.exists(file.get())) {
            throw new VaultException(ErrorKind.NOT_FOUND, "the vault file " + file.get() + " does not exist; create it with"
                    + " 'hopseal identity create --vault " + vault + "'");
        }
    }

    /**
     * Opens an existing vault to read and sign with, changing nothing: a {@code file:} vault read-only, without its
     * lock, so that this works while a node (or any process that changes the vault) holds it. What it reads is the
     * file as last written: every write replaces the file whole, by an atomic rename.
     */
    Vaults openShared() throws HopsealException {
        VaultSpec spec = VaultSpec.parse(vault);
        if (!spec.scheme().equals("file")) {
            return open();
        }
        requireFile(vault);
        return openSpec(vault + (spec.rest().contains("?") ? "&" : "?") + FileVaultProvider.READ_ONLY);
    }

    /**
     * Opens the vault, creating a {@code file:} vault that does not exist yet (asking for its passphrase twice when
     * asking in the terminal).
     */
    Vaults openOrCreate() throws HopsealException {
        return openSpec(vault);
    }

    private static Vaults openSpec(String vault) throws HopsealException {
        return Vaults.open(vault, ConsolePrompt.openOptions());
    }

    /** Whether the vault keeps keys only in this process's memory. */
    boolean isInMemory() {
        return VaultSpec.parse(vault).scheme().equals("software");
    }

    /** The file of a {@code file:} spec (without its parameters); empty for another vault, or a spec without a path. */
    static Optional<Path> filePath(VaultSpec spec) {
        if (!spec.scheme().equals("file")) {
            return Optional.empty();
        }
        String rest = spec.rest();
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        return path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path));
    }

    /**
     * The identity named by {@code --identity}, else the one named {@code default}, else the vault's only one; a
     * vault that holds none gets a new identity named {@code default}.
     */
    Entity entity(Context ctx, Vaults vaults) throws HopsealException {
        Optional<Entity> chosen = chosen(ctx, vaults);
        return chosen.isPresent() ? chosen.get() : Entity.create(ctx, vaults, StoredEntity.DEFAULT_NAME);
    }

    /** The identity this command works on, which must exist already (never created here). */
    Entity existingEntity(Context ctx, Vaults vaults) throws HopsealException {
        return chosen(ctx, vaults).orElseThrow(() -> new IdentityException(ErrorKind.NOT_FOUND,
                "the vault holds no identity; create one with 'hopseal identity create --vault " + vault + "'"));
    }

    private Optional<Entity> chosen(Context ctx, Vaults vaults) throws HopsealException {
        if (identity != null) {
            return Optional.of(Entity.load(ctx, vaults, identity));
        }
        List<StoredEntity> stored = Entity.list(vaults);
        for (StoredEntity e : stored) {
            if (e.name().equals(StoredEntity.DEFAULT_NAME)) {
                return Optional.of(Entity.load(ctx, vaults, e.identifier().value()));
            }
        }
        if (stored.size() == 1) {
            return Optional.of(Entity.load(ctx, vaults, stored.get(0).identifier().value()));
        }
        if (stored.size() > 1) {
            throw new IdentityException(ErrorKind.INVALID, "the vault holds " + stored.size()
                    + " identities and none is named 'default'; choose one with --identity NAME|ID (see 'hopseal identity list')");
        }
        return Optional.empty();
    }
}
