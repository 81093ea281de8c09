package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A vault named by a string: the scheme before the first {@code ':'} (or the whole string) picks the provider, the
 * rest is the provider's. {@code software}, {@code file:/var/lib/hopseal/alice.vault},
 * {@code pkcs11:token=hopseal;object=alice?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:PIN}.
 *
 * @since 0.1
 */
public record VaultSpec(String scheme, String rest) {
    public VaultSpec {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(rest, "rest");
    }

    public static VaultSpec parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        return colon < 0 ? new VaultSpec(spec.trim(), "") : new VaultSpec(spec.substring(0, colon).trim(), spec.substring(colon + 1));
    }

    @Override
    public String toString() {
        return rest.isEmpty() ? scheme : scheme + ":" + rest;
    }
}
