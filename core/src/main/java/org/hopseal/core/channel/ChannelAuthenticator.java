package org.hopseal.core.channel;

import java.util.List;
import java.util.Set;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.PublicKey;

/**
 * Authenticates the two ends of a channel inside its handshake: the responder's identity rides in message 2, the
 * initiator's in message 3, each with the credentials its side presents. Both are bound to the handshake hash at that
 * point, so a transcript cannot be replayed or relayed.
 *
 * <p>Thread safety: implementations are thread safe; one listener authenticates many handshakes at once.
 */
public interface ChannelAuthenticator {
    /** This side's Noise static key {@code s}, which the identity attests. */
    AgreementKeyHandle staticKey();

    /** The identity payload this side sends, proving possession bound to {@code binding} and presenting {@code credentials}. */
    byte[] identityPayload(byte[] binding, boolean asInitiator, List<Credential> credentials) throws HopsealException;

    /**
     * Verifies the peer's identity payload against {@code binding} and the Noise static key {@code remoteStatic} it
     * used, refusing an identity history of more than {@code maxIdentityChanges} changes, and the credentials it
     * presents from {@code authorities}; returns the verified peer or throws.
     */
    VerifiedPeer verifyPeer(byte[] payload, byte[] binding, PublicKey remoteStatic, boolean peerIsInitiator,
            int maxIdentityChanges, Set<Identifier> authorities) throws HopsealException;

    /** Verifies credentials {@code peer} presents over an open channel (a refresh); returns what they vouch for. */
    PeerAttributes verifyCredentials(PeerIdentity peer, List<byte[]> credentials, Set<Identifier> authorities) throws HopsealException;
}
