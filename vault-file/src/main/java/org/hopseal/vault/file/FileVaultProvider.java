package org.hopseal.vault.file;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.VaultProvider;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVerifier;

/**
 * The {@code file} vault: {@code file:PATH}, with the passphrase from the environment variable
 * {@value #PASSPHRASE_ENV}. Parameters for a new file may follow a {@code ?}:
 * {@code file:PATH?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=4}.
 *
 * @since 0.1
 */
public final class FileVaultProvider implements VaultProvider {
    /** The environment variable holding the passphrase. */
    public static final String PASSPHRASE_ENV = "HOPSEAL_VAULT_PASSPHRASE";

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Vaults open(VaultSpec spec) throws VaultException {
        String passphrase = System.getenv(PASSPHRASE_ENV);
        if (passphrase == null || passphrase.isEmpty()) {
            throw new VaultException(ErrorKind.INVALID, "the file vault needs a passphrase: set " + PASSPHRASE_ENV
                    + " (the hopseal command also asks for it when run in a terminal)");
        }
        return open(spec, passphrase.toCharArray());
    }

    /** Opens the vault of {@code spec} with {@code passphrase} (wiped). */
    public static Vaults open(VaultSpec spec, char[] passphrase) throws VaultException {
        String rest = spec.rest();
        int q = rest.indexOf('?');
        String file = q < 0 ? rest : rest.substring(0, q);
        if (file.isEmpty()) {
            throw new VaultException(ErrorKind.INVALID, "the file vault needs a path: file:PATH");
        }
        Map<String, String> params = new HashMap<>();
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new VaultException(ErrorKind.INVALID, "bad file vault parameter '" + kv + "'");
                }
                params.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        KdfParameters kdf;
        try {
            kdf = new KdfParameters(
                    Integer.parseInt(params.getOrDefault("kdf-memory-kib", String.valueOf(KdfParameters.DEFAULT.memoryKiB()))),
                    Integer.parseInt(params.getOrDefault("kdf-iterations", String.valueOf(KdfParameters.DEFAULT.iterations()))),
                    Integer.parseInt(params.getOrDefault("kdf-parallelism", String.valueOf(KdfParameters.DEFAULT.parallelism()))));
        } catch (IllegalArgumentException e) {
            throw new VaultException(ErrorKind.INVALID, "bad file vault parameters: " + e.getMessage());
        }
        FileVault v = FileVault.open(Path.of(file), passphrase, kdf);
        return new Vaults(v, v, new SoftwareVerifier());
    }
}
