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

    /**
     * {@return the credentials to present now, at most 8 (a peer refuses a handshake that presents more); empty for
     * none} Called on channel threads: it must return at once with what the source holds.
     */
    List<Credential> current();

    /** {@return the source that presents nothing, {@link #NONE}} */
    static CredentialSource none() {
        return NONE;
    }

    /**
     * A source that always presents {@code credentials}, expired or not: a peer that trusts their authority refuses
     * the handshake for an expired one. For credentials whose lifetime outlasts the channels, or for tests.
     *
     * @param credentials the credentials to present
     * @return the source
     * @throws NullPointerException if a credential is {@code null}
     */
    static CredentialSource of(Credential... credentials) {
        List<Credential> fixed = List.of(credentials);
        return () -> fixed;
    }
}
