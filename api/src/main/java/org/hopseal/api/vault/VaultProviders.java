package org.hopseal.api.vault;

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;

/**
 * Resolves a vault spec to exactly one {@link VaultProvider}. No provider, or several, for a name the user gave is an
 * error that lists what was found: keys never go to a vault the user did not choose.
 */
final class VaultProviders {
    private VaultProviders() {
    }

    /** Opens {@code specText} with {@code options}, whose passphrase is wiped however this ends. */
    static Vaults open(String specText, VaultOpenOptions options) throws VaultException {
        try {
            VaultSpec spec = VaultSpec.parse(specText);
            return provider(spec).open(spec, options);
        } finally {
            options.wipe();
        }
    }

    private static VaultProvider provider(VaultSpec spec) throws VaultException {
        List<VaultProvider> all = load();
        List<VaultProvider> matching = all.stream().filter(p -> p.name().equals(spec.scheme())).toList();
        String found = all.stream().map(p -> p.name() + " (" + p.getClass().getName() + ")").collect(Collectors.joining(", "));
        if (matching.isEmpty()) {
            throw new VaultException(ErrorKind.NOT_FOUND, "no vault provider named '" + spec.scheme() + "'; found: "
                    + (found.isEmpty() ? "none (add a vault module such as hopseal-vault-software)" : found));
        }
        if (matching.size() > 1) {
            throw new VaultException(ErrorKind.INVALID, "several vault providers are named '" + spec.scheme() + "': "
                    + matching.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", "))
                    + "; keep exactly one on the class or module path");
        }
        return matching.get(0);
    }

    private static List<VaultProvider> load() throws VaultException {
        try {
            return ServiceLoader.load(VaultProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        } catch (ServiceConfigurationError e) {
            throw new VaultException(ErrorKind.INTERNAL, "a vault provider failed to load: " + e.getMessage(), e);
        }
    }
}
