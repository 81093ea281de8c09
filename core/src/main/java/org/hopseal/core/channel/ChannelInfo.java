package org.hopseal.core.channel;

import java.util.Optional;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;

/**
 * One open channel end on this node: its encryptor (the address messages enter by), its decryptor, the peer (for
 * authenticated channels), its counters, and the route to the peer (whose first hop's connection closing closes the
 * channel).
 *
 * @param protocol how the keys were agreed: {@code Noise_XX_25519_AESGCM_SHA256},
 *     {@code Noise_XXhfs_25519+MLKEM768_AESGCM_SHA256} (hybrid post-quantum) or {@code X3DH}
 */
public record ChannelInfo(Address encryptor, Address decryptor, Optional<PeerIdentity> peer, ChannelStats stats, Route remoteRoute,
        String protocol) {
    /** The first hop of the route to the peer: a connection, or the end of a channel that carries this one. */
    public Address firstHop() {
        return remoteRoute.next();
    }
}
