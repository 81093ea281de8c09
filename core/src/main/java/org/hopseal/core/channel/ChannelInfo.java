package org.hopseal.core.channel;

import java.util.Optional;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.routing.Address;

/**
 * One open channel end on this node: its encryptor (the address messages enter by), its decryptor, the peer (for
 * authenticated channels), its counters, and the first hop of the route to the peer (whose connection closing
 * closes the channel).
 */
public record ChannelInfo(Address encryptor, Address decryptor, Optional<PeerIdentity> peer, ChannelStats stats, Address firstHop) {
}
