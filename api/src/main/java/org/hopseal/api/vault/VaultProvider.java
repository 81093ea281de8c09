package org.hopseal.api.vault;

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
    /** The scheme this provider serves, e.g. {@code software}. */
    String name();

    /** Opens the vaults a spec names; {@code spec.scheme()} equals {@link #name()}. */
    Vaults open(VaultSpec spec) throws VaultException;
}
