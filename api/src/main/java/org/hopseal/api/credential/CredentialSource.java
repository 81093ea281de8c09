package org.hopseal.api.credential;

import java.util.List;

/**
 * The credentials an identity presents to the peers of its secure channels: in each handshake, and again over every
 * open channel whenever what this source returns changes (so a source that renews its credentials before they expire
 * keeps long-lived channels' attributes valid).
 *
 * <p>Thread safety: implementations are thread safe. {@link #current()} is called on channel threads and must not
 * block: a source that fetches credentials does so in the background and returns what it holds.
 *
 * @since 0.3
 */
@FunctionalInterface
public interface CredentialSource {
    /** Presents nothing; channel ends with this source never check it again. */
    CredentialSource NONE = List::of;

    /** The credentials to present now; empty for none. */
    List<Credential> current();

    /** Presents nothing. */
    static CredentialSource none() {
        return NONE;
    }

    /** Always presents {@code credentials}. */
    static CredentialSource of(Credential... credentials) {
        List<Credential> fixed = List.of(credentials);
        return () -> fixed;
    }
}
