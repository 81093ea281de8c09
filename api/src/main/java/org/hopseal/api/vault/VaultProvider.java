package org.hopseal.api.vault;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;

/**
 * A kind of vault, found through {@link java.util.ServiceLoader} and chosen by name: the scheme of a vault spec
 * string ({@code software}, {@code file:PATH}, {@code pkcs11:...}). Each vault module declares it both with
 * {@code provides} in its module descriptor and in {@code META-INF/services}.
 *
 * <h2>Thread safety</h2>
 * Implementations are thread safe.
 *
 * @since 0.1
 */
public interface VaultProvider {
    /**
     * {@return the scheme this provider serves, e.g. {@code software}: the part of a spec before the first
     * {@code ':'}}
     */
    String name();

    /**
     * Opens the vaults a spec names; {@code spec.scheme()} equals {@link #name()}.
     *
     * @param spec the spec, whose {@link VaultSpec#rest()} this provider reads (a path, a token, options)
     * @return the opened vaults; the caller closes them
     * @throws VaultException {@code INVALID} if the rest of the spec is not what this provider takes, or why the
     *     vault cannot be opened (for example {@code UNAVAILABLE} for a file in use or a token that cannot be
     *     reached, {@code AUTHENTICATION} for a wrong passphrase or PIN)
     */
    Vaults open(VaultSpec spec) throws VaultException;

    /**
     * Opens the vaults a spec names with {@code options}; {@code spec.scheme()} equals {@link #name()}. A provider
     * whose vault has a passphrase overrides this. This default is for a vault without one: it refuses a passphrase
     * given (leaving the wiping to {@link Vaults#open(String, VaultOpenOptions)}), never asks the prompt, and otherwise
     * is {@link #open(VaultSpec)}.
     *
     * @param spec the spec, whose scheme is this provider's
     * @param options a passphrase given by the application, or a prompt
     * @return the opened vaults; the caller closes them
     * @throws VaultException {@link ErrorKind#UNSUPPORTED} if {@code options} carry a passphrase
     */
    default Vaults open(VaultSpec spec, VaultOpenOptions options) throws VaultException {
        if (options.passphrase().isPresent()) {
            throw new VaultException(ErrorKind.UNSUPPORTED, "the " + name() + " vault takes no passphrase");
        }
        return open(spec);
    }
}
