package org.hopseal.api.credential;

import java.util.List;

/**
 * The credentials an identity got by enrolling ({@code HopsealNode.enroll}), as kept in its vault: presented to the
 * peers of its channels, and renewed from each authority (over a secure channel, as the member) when two thirds of
 * their life has passed, so that channels stay open across expiries. A renewal that fails is retried; what was
 * renewed is stored in the vault again.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.3
 */
public interface MemberCredentials extends CredentialSource, AutoCloseable {
    /**
     * The credentials held now, at most one per authority the identity enrolled with; one that expired before it could
     * be renewed is not presented (a peer that trusts its authority would refuse the handshake for it).
     */
    @Override
    List<Credential> current();

    /** Stops renewing. */
    @Override
    void close();
}
