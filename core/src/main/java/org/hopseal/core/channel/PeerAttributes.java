package org.hopseal.core.channel;

import java.time.Instant;
import java.util.Map;

/**
 * What trusted authorities vouched for a channel's peer, and when that stops being true: the expiry of the first of
 * its credentials to expire ({@code null} for no attributes).
 */
public record PeerAttributes(Map<String, String> values, Instant expires) {
    /** No attributes. */
    public static final PeerAttributes NONE = new PeerAttributes(Map.of(), null);

    public PeerAttributes {
        values = Map.copyOf(values);
        if (expires == null && !values.isEmpty()) {
            throw new IllegalArgumentException("attributes need an expiry");
        }
    }

    /** These attributes as they stand at {@code now}: none once expired. */
    public PeerAttributes at(Instant now) {
        return expires != null && !now.isBefore(expires) ? NONE : this;
    }
}
