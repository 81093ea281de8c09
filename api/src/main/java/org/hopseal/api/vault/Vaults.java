package org.hopseal.api.vault;

import java.util.Objects;
import org.hopseal.api.error.VaultException;

/**
 * The vaults an entity uses, one per role: identity signing keys, secure-channel keys, and verification. The roles
 * may be served by different vaults, e.g. identity keys on a PKCS#11 token and channel keys in a file.
 *
 * <p>Thread safety: immutable; the vaults themselves are thread safe.
 *
 * @since 0.1
 */
public record Vaults(SigningVault identity, SecureChannelVault channel, Verifier verifier) implements AutoCloseable {
    public Vaults {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(verifier, "verifier");
    }

    /** These vaults with another vault for identity keys. */
    public Vaults withIdentity(SigningVault signing) {
        return new Vaults(signing, channel, verifier);
    }

    /**
     * Opens the vaults named by {@code spec} through the {@link VaultProvider} that serves it; see
     * {@link VaultProvider#open}.
     */
    public static Vaults open(String spec) throws VaultException {
        return VaultProviders.open(spec);
    }

    /** Closes every distinct vault. */
    @Override
    public void close() {
        identity.close();
        if (channel != identity) {
            channel.close();
        }
    }
}
