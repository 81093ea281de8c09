package org.hopseal.api.vault;

import java.util.Objects;
import org.hopseal.api.error.VaultException;

/**
 * The vaults an entity uses, one per role: identity signing keys, secure-channel keys, and verification. The roles
 * may be served by different vaults, e.g. identity keys on a PKCS#11 token and channel keys in a file.
 *
 * <p>Thread safety: immutable; the vaults themselves are thread safe.
 *
 * @param identity holds identity signing keys and the records of stored identities
 * @param channel holds secure-channel keys and does the channels' key agreement and encryption
 * @param verifier verifies signatures and hashes, needing no secret
 * @since 0.1
 */
public record Vaults(SigningVault identity, SecureChannelVault channel, Verifier verifier) implements AutoCloseable {
    /**
     * Checks that every role is served.
     *
     * @throws NullPointerException if a component is {@code null}
     */
    public Vaults {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * These vaults with another vault for identity keys.
     *
     * @param signing the vault for identity keys, e.g. one on a PKCS#11 token
     * @return new vaults; these are unchanged, and closing one closes vaults the other shares
     */
    public Vaults withIdentity(SigningVault signing) {
        return new Vaults(signing, channel, verifier);
    }

    /**
     * Opens the vaults named by {@code spec} through the {@link VaultProvider} that serves it; see
     * {@link VaultProvider#open}. A file vault takes its passphrase from the spec's {@code passphrase-source} or the
     * environment; {@link #open(String, VaultOpenOptions)} gives it from the application.
     *
     * @param spec a vault spec, as {@link VaultSpec#parse} reads it ({@code software}, {@code file:PATH},
     *     {@code pkcs11:...})
     * @return the opened vaults; the caller closes them
     * @throws VaultException {@code NOT_FOUND} if no provider on the class or module path serves the spec's scheme,
     *     {@code INVALID} if several do, {@code INTERNAL} if a provider fails to load, or the provider's own failure
     *     to open it
     */
    public static Vaults open(String spec) throws VaultException {
        return open(spec, VaultOpenOptions.defaults());
    }

    /**
     * Opens the vaults named by {@code spec} with {@code options}: a passphrase given by the application (as a
     * {@code char[]}), or a prompt to ask a person for it; see {@link VaultOpenOptions}. A passphrase given is wiped
     * before this returns or throws.
     *
     * @param spec a vault spec, as for {@link #open(String)}
     * @param options the passphrase or the prompt
     * @return the opened vaults; the caller closes them
     * @throws VaultException as {@link #open(String)}, and {@code UNSUPPORTED} for a passphrase given to a vault that
     *     takes none
     */
    public static Vaults open(String spec, VaultOpenOptions options) throws VaultException {
        return VaultProviders.open(spec, options);
    }

    /** Closes the identity vault and, if it is another one, the channel vault; the verifier holds nothing to close. */
    @Override
    public void close() {
        identity.close();
        if (channel != identity) {
            channel.close();
        }
    }
}
