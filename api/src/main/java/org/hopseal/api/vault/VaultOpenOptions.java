package org.hopseal.api.vault;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.hopseal.api.error.ErrorKind;

/**
 * What opening a vault may take besides its spec ({@link Vaults#open(String, VaultOpenOptions)}): the passphrase of a
 * vault that has one, given by the application, or a prompt to ask a person for it.
 *
 * <p>A file vault takes its passphrase from the first of: {@link #withPassphrase}, the spec's
 * {@code passphrase-source}, the environment variable {@code HOPSEAL_VAULT_PASSPHRASE}, {@link #withPrompt} (asked
 * twice for a new vault). A vault that takes no passphrase refuses one given with {@link #withPassphrase}
 * ({@link ErrorKind#UNSUPPORTED}) and never asks the prompt.
 *
 * <pre>{@code
 * char[] passphrase = ...; // wiped by the open
 * try (Vaults vaults = Vaults.open("file:/var/lib/app/alice.vault", VaultOpenOptions.defaults().withPassphrase(passphrase))) {
 *     ...
 * }
 * }</pre>
 *
 * <h2>The passphrase array</h2>
 * These options hold the caller's array itself, not a copy, and {@link Vaults#open(String, VaultOpenOptions)} wipes it
 * when it returns or throws: options with a passphrase open one vault, once.
 *
 * <p>Thread safety: immutable, but for the wiping of a given passphrase.
 *
 * @since 0.1
 */
public final class VaultOpenOptions {
    private static final VaultOpenOptions DEFAULTS = new VaultOpenOptions(null, null);

    private final char[] passphrase;
    private final PassphrasePrompt prompt;

    private VaultOpenOptions(char[] passphrase, PassphrasePrompt prompt) {
        this.passphrase = passphrase;
        this.prompt = prompt;
    }

    /**
     * No passphrase and no prompt: what the spec and the environment give.
     *
     * @return the default options
     */
    public static VaultOpenOptions defaults() {
        return DEFAULTS;
    }

    /**
     * These options with {@code passphrase}, which the open wipes (see "The passphrase array" above).
     *
     * @param passphrase the passphrase, held as given, not copied
     * @return new options; these are unchanged
     */
    public VaultOpenOptions withPassphrase(char[] passphrase) {
        return new VaultOpenOptions(Objects.requireNonNull(passphrase, "passphrase"), prompt);
    }

    /**
     * These options with {@code prompt}, asked when no other source gives the passphrase.
     *
     * @param prompt asks a person
     * @return new options; these are unchanged
     */
    public VaultOpenOptions withPrompt(PassphrasePrompt prompt) {
        return new VaultOpenOptions(passphrase, Objects.requireNonNull(prompt, "prompt"));
    }

    /**
     * For vault providers: the passphrase given.
     *
     * @return the caller's array itself, or empty if none was given
     */
    public Optional<char[]> passphrase() {
        return Optional.ofNullable(passphrase);
    }

    /**
     * For vault providers: the prompt given.
     *
     * @return the prompt, or empty if none was given
     */
    public Optional<PassphrasePrompt> prompt() {
        return Optional.ofNullable(prompt);
    }

    /** Wipes the passphrase given, if any. */
    void wipe() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** Says whether a passphrase and a prompt were given, never the passphrase. */
    @Override
    public String toString() {
        return "VaultOpenOptions{passphrase=" + (passphrase == null ? "none" : "<redacted>") + ", prompt=" + (prompt != null) + "}";
    }
}
