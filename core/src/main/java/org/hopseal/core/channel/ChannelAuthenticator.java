package org.hopseal.core.channel;

import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.PublicKey;

/**
 * Authenticates the two ends of a Noise XX channel inside its handshake: the responder's identity rides in message
 * 2, the initiator's in message 3. Both are bound to the handshake hash at that point, so a transcript cannot be
 * replayed or relayed.
 *
 * <p>Thread safety: implementations are thread safe; one listener authenticates many handshakes at once.
 */
public interface ChannelAuthenticator {
    /** This side's Noise static key {@code s}, which the identity attests. */
    AgreementKeyHandle staticKey();

    /** The identity payload this side sends, proving possession bound to {@code binding}. */
    byte[] identityPayload(byte[] binding, boolean asInitiator) throws HopsealException;

    /**
     * Verifies the peer's identity payload against {@code binding} and the Noise static key {@code remoteStatic} it
     * used, refusing an identity history of more than {@code maxIdentityChanges} changes; returns the verified peer
     * or throws ({@code IdentityException}).
     */
    PeerIdentity verifyPeer(byte[] payload, byte[] binding, PublicKey remoteStatic, boolean peerIsInitiator,
            int maxIdentityChanges) throws HopsealException;
}
