package org.hopseal.core.channel;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.vault.PublicKey;

/** Authenticates a peer's identity payload and applies the trust policy; without an authenticator there is no peer. */
record PeerCheck(ChannelAuthenticator authenticator, TrustPolicy trustPolicy, int maxIdentityChanges) {
    PeerCheck(ChannelAuthenticator authenticator, SecureChannelOptions options) {
        this(authenticator, options.trustPolicy(), options.maxIdentityChanges());
    }

    PeerIdentity verify(byte[] payload, byte[] binding, PublicKey remoteStatic, boolean peerIsInitiator) throws HopsealException {
        if (authenticator == null) {
            return null;
        }
        PeerIdentity peer = authenticator.verifyPeer(payload, binding, remoteStatic, peerIsInitiator, maxIdentityChanges);
        if (!trustPolicy.check(peer)) {
            throw new IdentityException(ErrorKind.UNTRUSTED, "the trust policy refused peer " + peer.identifier());
        }
        return peer;
    }

    byte[] payload(byte[] binding, boolean asInitiator) throws HopsealException {
        return authenticator == null ? new byte[0] : authenticator.identityPayload(binding, asInitiator);
    }
}
