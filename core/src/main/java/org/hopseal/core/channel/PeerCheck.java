package org.hopseal.core.channel;

import java.util.List;
import java.util.Set;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.vault.PublicKey;

/**
 * Authenticates a peer's identity payload, verifies its credentials and applies the trust policy; without an
 * authenticator there is no peer.
 */
record PeerCheck(ChannelAuthenticator authenticator, TrustPolicy trustPolicy, int maxIdentityChanges, Set<Identifier> authorities,
        CredentialSource credentials) {
    PeerCheck(ChannelAuthenticator authenticator, SecureChannelOptions options) {
        this(authenticator, options.trustPolicy(), options.maxIdentityChanges(), options.authorities(), options.credentials());
    }

    VerifiedPeer verify(byte[] payload, byte[] binding, PublicKey remoteStatic, boolean peerIsInitiator) throws HopsealException {
        if (authenticator == null) {
            return null;
        }
        VerifiedPeer peer = authenticator.verifyPeer(payload, binding, remoteStatic, peerIsInitiator, maxIdentityChanges, authorities);
        if (!trustPolicy.check(peer.identity())) {
            throw new IdentityException(ErrorKind.UNTRUSTED, "the trust policy refused peer " + peer.base().identifier()
                    + (peer.attributes().values().isEmpty() ? " (no attributes)" : " with attributes " + peer.attributes().values()));
        }
        return peer;
    }

    /** Whether the trust policy still accepts {@code peer} (its attributes refreshed, or expired). */
    boolean accepts(VerifiedPeer peer) {
        return trustPolicy.check(peer.identity());
    }

    /** The attributes that credentials presented over the open channel vouch for {@code peer}. */
    PeerAttributes verifyRefresh(VerifiedPeer peer, List<byte[]> presented) throws HopsealException {
        return authenticator.verifyCredentials(peer.base(), presented, authorities);
    }

    byte[] payload(byte[] binding, boolean asInitiator) throws HopsealException {
        return authenticator == null ? new byte[0] : authenticator.identityPayload(binding, asInitiator, credentials.current());
    }
}
