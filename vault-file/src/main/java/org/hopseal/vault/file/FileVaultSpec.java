package org.hopseal.vault.file;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.SecretSource;
import org.hopseal.api.vault.VaultSpec;

/**
 * A {@code file:PATH} spec, parsed: the file, the Argon2id parameters of a new file, whether to open it read-only,
 * and where its passphrase comes from (see {@link FileVaultProvider} for the parameters).
 *
 * @param path the vault file
 * @param newFileKdf the Argon2id parameters should the file be created
 * @param readOnly whether to open the file with {@link FileVault#openReadOnly}
 * @param passphraseSource the {@code passphrase-source}, if the spec names one
 */
record FileVaultSpec(Path path, KdfParameters newFileKdf, boolean readOnly, Optional<SecretSource> passphraseSource) {
    private static final Set<String> PARAMETERS = Set.of("kdf-memory-kib", "kdf-iterations", "kdf-parallelism",
            FileVaultProvider.READ_ONLY, FileVaultProvider.PASSPHRASE_SOURCE);

    static FileVaultSpec parse(VaultSpec spec) throws VaultException {
        String[] pathAndQuery = spec.rest().split("\\?", 2);
        String file = pathAndQuery[0];
        if (file.isEmpty()) {
            throw new VaultException(ErrorKind.INVALID, "the file vault needs a path: file:PATH");
        }
        Map<String, String> params = pathAndQuery.length == 1 ? Map.of() : parameters(pathAndQuery[1]);
        String source = params.get(FileVaultProvider.PASSPHRASE_SOURCE);
        return new FileVaultSpec(Path.of(file), kdf(params), readOnly(params),
                source == null ? Optional.empty() : Optional.of(SecretSource.parse(FileVaultProvider.PASSPHRASE_SOURCE, source)));
    }

    private static Map<String, String> parameters(String query) throws VaultException {
        Map<String, String> params = new HashMap<>();
        for (String kv : query.split("&")) {
            if (kv.equals(FileVaultProvider.READ_ONLY)) {
                params.put(FileVaultProvider.READ_ONLY, "true");
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
        return params;
    }

    private static boolean readOnly(Map<String, String> params) throws VaultException {
        return switch (params.getOrDefault(FileVaultProvider.READ_ONLY, "false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new VaultException(ErrorKind.INVALID, "bad file vault parameter '" + FileVaultProvider.READ_ONLY + "="
                    + params.get(FileVaultProvider.READ_ONLY) + "': write " + FileVaultProvider.READ_ONLY + " or "
                    + FileVaultProvider.READ_ONLY + "=true");
        };
    }

    private static KdfParameters kdf(Map<String, String> params) throws VaultException {
        try {
            return new KdfParameters(
                    Integer.parseInt(params.getOrDefault("kdf-memory-kib", String.valueOf(KdfParameters.DEFAULT.memoryKiB()))),
                    Integer.parseInt(params.getOrDefault("kdf-iterations", String.valueOf(KdfParameters.DEFAULT.iterations()))),
                    Integer.parseInt(params.getOrDefault("kdf-parallelism", String.valueOf(KdfParameters.DEFAULT.parallelism()))));
        } catch (IllegalArgumentException e) {
            throw new VaultException(ErrorKind.INVALID, "bad file vault parameters: " + e.getMessage());
        }
    }
}
