package org.hopseal.api.vault;

import java.util.Objects;

/**
 * A vault named by a string: the scheme before the first {@code ':'} (or the whole string) picks the provider, the
 * rest is the provider's. {@code software}, {@code file:/var/lib/hopseal/alice.vault},
 * {@code pkcs11:token=hopseal;object=alice?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:PIN}.
 *
 * @param scheme the provider's name ({@link VaultProvider#name()})
 * @param rest everything after the first {@code ':'}, for the provider to read; empty if there is no {@code ':'}
 * @since 0.1
 */
public record VaultSpec(String scheme, String rest) {
    /**
     * Checks that both components are present.
     *
     * @throws NullPointerException if {@code scheme} or {@code rest} is {@code null}
     */
    public VaultSpec {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(rest, "rest");
    }

    /**
     * Splits a spec at its first {@code ':'}. The scheme is trimmed of surrounding white space; the rest is kept as
     * it is. Nothing else is checked: which provider, if any, takes the spec is decided when it is opened.
     *
     * @param spec the spec, e.g. {@code file:/var/lib/hopseal/alice.vault}
     * @return its scheme and rest
     * @throws NullPointerException if {@code spec} is {@code null}
     */
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
