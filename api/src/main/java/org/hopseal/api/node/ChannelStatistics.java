package org.hopseal.api.node;

import java.util.Objects;
import java.util.Optional;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.Address;

/**
 * One secure channel end open on a node, and its counters so far.
 *
 * @param channel the address messages enter the channel by (its encryptor)
 * @param peer the identifier the handshake authenticated; empty for a plain channel
 * @param delivered messages decrypted and delivered
 * @param tampered frames refused because they did not authenticate or decode
 * @param replayed frames refused because they were seen already
 * @param tooOld frames refused because they were older than the replay window
 * @since 0.2
 */
public record ChannelStatistics(Address channel, Optional<Identifier> peer, long delivered, long tampered, long replayed, long tooOld) {
    /**
     * Checks that the channel and peer are present.
     *
     * @throws NullPointerException if {@code channel} or {@code peer} is {@code null}
     */
    public ChannelStatistics {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(peer, "peer");
    }
}
