package org.hopseal.vault.file;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.VaultProvider;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVerifier;

/**
 * The {@code file} vault: {@code file:PATH}, with the passphrase from the environment variable
 * {@value #PASSPHRASE_ENV}. Parameters may follow a {@code ?}, joined by {@code &}; an unknown one is refused:
 * <ul>
 *   <li>{@code kdf-memory-kib}, {@code kdf-iterations}, {@code kdf-parallelism}: the Argon2id parameters of a new
 *       file ({@code file:PATH?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=4}); an existing file keeps the
 *       ones in its header.</li>
 *   <li>{@code read-only} (or {@code read-only=true}; {@code read-only=false} is the default): open the existing file
 *       with {@link FileVault#openReadOnly}, without its lock, so that a command can read the vault and sign with its
 *       keys while another process (a node) holds it. Every change is refused; a file that does not exist is refused,
 *       not created. {@code file:PATH?read-only}</li>
 * </ul>
 *
 * @since 0.1
 */
public final class FileVaultProvider implements VaultProvider {
    /** The environment variable holding the passphrase. */
    public static final String PASSPHRASE_ENV = "HOPSEAL_VAULT_PASSPHRASE";
    /** The parameter that opens the vault read-only. */
    public static final String READ_ONLY = "read-only";
    private static final Set<String> PARAMETERS = Set.of("kdf-memory-kib", "kdf-iterations", "kdf-parallelism", READ_ONLY);

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

    /** Opens the vault of {@code spec} with {@code passphrase} (wiped, also when the spec is refused). */
    public static Vaults open(VaultSpec spec, char[] passphrase) throws VaultException {
        try {
            return parseAndOpen(spec, passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static Vaults parseAndOpen(VaultSpec spec, char[] passphrase) throws VaultException {
        String rest = spec.rest();
        int q = rest.indexOf('?');
        String file = q < 0 ? rest : rest.substring(0, q);
        if (file.isEmpty()) {
            throw new VaultException(ErrorKind.INVALID, "the file vault needs a path: file:PATH");
        }
        Map<String, String> params = new HashMap<>();
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (kv.equals(READ_ONLY)) {
                    params.put(READ_ONLY, "true");
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new VaultException(ErrorKind.INVALID, "bad file vault parameter '" + kv + "'");
                }
                String name = kv.substring(0, eq);
                if (!PARAMETERS.contains(name)) {
                    throw new VaultException(ErrorKind.INVALID, "unknown file vault parameter '" + name + "' (known: "
                            + String.join(", ", PARAMETERS.stream().sorted().toList()) + ")");
                }
                params.put(name, kv.substring(eq + 1));
            }
        }
        boolean readOnly = switch (params.getOrDefault(READ_ONLY, "false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new VaultException(ErrorKind.INVALID, "bad file vault parameter '" + READ_ONLY + "="
                    + params.get(READ_ONLY) + "': write " + READ_ONLY + " or " + READ_ONLY + "=true");
        };
        KdfParameters kdf;
        try {
            kdf = new KdfParameters(
                    Integer.parseInt(params.getOrDefault("kdf-memory-kib", String.valueOf(KdfParameters.DEFAULT.memoryKiB()))),
                    Integer.parseInt(params.getOrDefault("kdf-iterations", String.valueOf(KdfParameters.DEFAULT.iterations()))),
                    Integer.parseInt(params.getOrDefault("kdf-parallelism", String.valueOf(KdfParameters.DEFAULT.parallelism()))));
        } catch (IllegalArgumentException e) {
            throw new VaultException(ErrorKind.INVALID, "bad file vault parameters: " + e.getMessage());
        }
        FileVault v = readOnly ? FileVault.openReadOnly(Path.of(file), passphrase) : FileVault.open(Path.of(file), passphrase, kdf);
        return new Vaults(v, v, new SoftwareVerifier());
    }
}
