package org.hopseal.cli;

import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.file.FileVaultProvider;
import org.hopseal.api.worker.Context;
import org.hopseal.core.identity.CoreEntity;
import picocli.CommandLine.Option;

/** The {@code --vault} and {@code --identity} options, shared by the commands that use an identity. */
final class VaultOptions {
    @Option(names = "--vault", defaultValue = "software", paramLabel = "SPEC",
            description = {"where keys live: software (in memory, the default), file:PATH,",
                    "or a PKCS#11 URI such as pkcs11:token=hopseal;object=alice?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:HOPSEAL_PIN"})
    String vault;

    @Option(names = "--identity", paramLabel = "ID", description = "the identity to use (default: the vault's only identity, or a new one)")
    String identity;

    /**
     * Opens the vault. A file vault takes its passphrase from {@code HOPSEAL_VAULT_PASSPHRASE}, or asks for it when
     * the command runs in a terminal.
     */
    Vaults open() throws HopsealException {
        VaultSpec spec = VaultSpec.parse(vault);
        String env = System.getenv(FileVaultProvider.PASSPHRASE_ENV);
        java.io.Console console = System.console();
        if (spec.scheme().equals("file") && (env == null || env.isEmpty()) && console != null) {
            char[] passphrase = console.readPassword("Passphrase for the vault %s: ", spec.rest());
            if (passphrase == null) {
                throw new VaultException(ErrorKind.INVALID, "no passphrase given");
            }
            return FileVaultProvider.open(spec, passphrase);
        }
        return Vaults.open(vault);
    }

    /** The identity named by --identity, else the vault's only one, else a new one. */
    CoreEntity entity(Context ctx, Vaults vaults) throws HopsealException {
        if (identity != null) {
            return CoreEntity.load(ctx, vaults, parse(identity));
        }
        List<Identifier> stored = CoreEntity.list(vaults);
        if (stored.size() == 1) {
            return CoreEntity.load(ctx, vaults, stored.get(0));
        }
        if (stored.size() > 1) {
            throw new IdentityException(ErrorKind.INVALID, "the vault holds " + stored.size()
                    + " identities; choose one with --identity (see 'hopseal identity list')");
        }
        return CoreEntity.create(ctx, vaults);
    }

    /** The identity this command works on, which must exist already (never created here). */
    CoreEntity existingEntity(Context ctx, Vaults vaults) throws HopsealException {
        if (identity == null && CoreEntity.list(vaults).isEmpty()) {
            throw new IdentityException(ErrorKind.NOT_FOUND, "the vault holds no identity; create one with 'hopseal identity create'");
        }
        return entity(ctx, vaults);
    }

    static Identifier parse(String id) throws IdentityException {
        try {
            return new Identifier(id);
        } catch (IllegalArgumentException e) {
            throw new IdentityException(ErrorKind.INVALID, "'" + id + "' is not an identifier: " + e.getMessage());
        }
    }
}
