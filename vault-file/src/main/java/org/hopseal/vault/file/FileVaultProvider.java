package org.hopseal.vault.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.PassphrasePrompt;
import org.hopseal.api.vault.SecretSource;
import org.hopseal.api.vault.VaultOpenOptions;
import org.hopseal.api.vault.VaultProvider;
import org.hopseal.api.vault.VaultSpec;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVerifier;

/**
 * The {@code file} vault: {@code file:PATH}. Parameters may follow a {@code ?}, joined by {@code &}; an unknown one is
 * refused:
 * <ul>
 *   <li>{@code kdf-memory-kib}, {@code kdf-iterations}, {@code kdf-parallelism}: the Argon2id parameters of a new
 *       file ({@code file:PATH?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=4}); an existing file keeps the
 *       ones in its header.</li>
 *   <li>{@code read-only} (or {@code read-only=true}; {@code read-only=false} is the default): open the existing file
 *       with {@link FileVault#openReadOnly}, without its lock, so that a command can read the vault and sign with its
 *       keys while another process (a node) holds it. Every change is refused; a file that does not exist is refused,
 *       not created. {@code file:PATH?read-only}</li>
 *   <li>{@code passphrase-source}: where the passphrase is read from, {@code env:NAME} (an environment variable) or
 *       {@code file:PATH} (the file's first line, without its line ending), as a PKCS#11 URI's {@code pin-source}
 *       ({@link SecretSource}). {@code file:/var/lib/hopseal/alice.vault?passphrase-source=file:/etc/hopseal/passphrase}</li>
 * </ul>
 *
 * <h2>The passphrase</h2>
 * The first of: the passphrase the application gives ({@link VaultOpenOptions#withPassphrase}, or
 * {@link #open(VaultSpec, char[])}); the spec's {@code passphrase-source}; the environment variable
 * {@value #PASSPHRASE_ENV}; the prompt the application gives ({@link VaultOpenOptions#withPrompt}), which is asked
 * for a new vault's passphrase twice ({@link PassphrasePrompt#askNew}). A passphrase given by the application and a
 * {@code passphrase-source} both are refused as ambiguous. None at all is refused; a new vault also refuses an empty one.
 *
 * @since 0.1
 */
public final class FileVaultProvider implements VaultProvider {
    /** The environment variable holding the passphrase. */
    public static final String PASSPHRASE_ENV = "HOPSEAL_VAULT_PASSPHRASE";
    /** The parameter that opens the vault read-only. */
    public static final String READ_ONLY = "read-only";
    /** The parameter naming where the passphrase comes from: {@code env:NAME} or {@code file:PATH}. */
    public static final String PASSPHRASE_SOURCE = "passphrase-source";

    /** The process's environment variables, by name. */
    private final UnaryOperator<String> environment;

    /** The provider that {@link ServiceLoader} finds, reading this process's environment. */
    public FileVaultProvider() {
        this(System::getenv);
    }

    /** Tests only: a provider that reads {@code environment} in place of this process's environment. */
    FileVaultProvider(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "file";
    }

    /** Opens the vault of {@code spec}, its passphrase from the spec's {@code passphrase-source} or the environment. */
    @Override
    public Vaults open(VaultSpec spec) throws VaultException {
        return open(spec, VaultOpenOptions.defaults());
    }

    /**
     * Opens the vault of {@code spec} with the passphrase or prompt of {@code options} (see "The passphrase" above);
     * a passphrase given is wiped, also when the spec is refused.
     */
    @Override
    public Vaults open(VaultSpec spec, VaultOpenOptions options) throws VaultException {
        Optional<char[]> given = options.passphrase();
        try {
            FileVaultSpec file = FileVaultSpec.parse(spec);
            char[] passphrase = passphrase(file, given, options.prompt());
            FileVault v = file.readOnly() ? FileVault.openReadOnly(file.path(), passphrase)
                    : FileVault.open(file.path(), passphrase, file.newFileKdf());
            return new Vaults(v, v, new SoftwareVerifier());
        } finally {
            given.ifPresent(p -> Arrays.fill(p, '\0'));
        }
    }

    /** Opens the vault of {@code spec} with {@code passphrase} (wiped, also when the spec is refused). */
    public static Vaults open(VaultSpec spec, char[] passphrase) throws VaultException {
        return new FileVaultProvider().open(spec, VaultOpenOptions.defaults().withPassphrase(passphrase));
    }

    /** The passphrase to open {@code file} with, from the first source that gives one; the caller wipes it. */
    private char[] passphrase(FileVaultSpec file, Optional<char[]> given, Optional<PassphrasePrompt> prompt) throws VaultException {
        if (given.isPresent()) {
            if (file.passphraseSource().isPresent()) {
                throw new VaultException(ErrorKind.INVALID, "the vault spec names " + PASSPHRASE_SOURCE + "="
                        + file.passphraseSource().get() + " and a passphrase was given too: give one of them");
            }
            return given.get();
        }
        if (file.passphraseSource().isPresent()) {
            return file.passphraseSource().get().read();
        }
        String env = environment.apply(PASSPHRASE_ENV);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        if (prompt.isPresent()) {
            return ask(prompt.get(), file);
        }
        throw new VaultException(ErrorKind.INVALID, "the file vault needs a passphrase: set " + PASSPHRASE_ENV + " or "
                + PASSPHRASE_SOURCE + "=env:NAME|file:PATH (the hopseal command also asks for it when run in a terminal)");
    }

    /** Asks for the passphrase of the existing file, or twice for a new one; a missing file opened read-only is refused first. */
    private static char[] ask(PassphrasePrompt prompt, FileVaultSpec file) throws VaultException {
        Path path = file.path().toAbsolutePath();
        if (Files.exists(path)) {
            return prompt.askExisting(path.toString());
        }
        if (file.readOnly()) {
            throw FileVault.missing(path, "a read-only open creates none");
        }
        return prompt.askNew(path.toString());
    }
}
