package org.hopseal.core.channel;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.hopseal.api.identity.PeerIdentity;

/** A peer whose identity a handshake verified, with the attributes its credentials vouch for (which may change). */
public record VerifiedPeer(PeerIdentity base, PeerAttributes attributes) {
    public VerifiedPeer {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(attributes, "attributes");
        base = base.attributes().isEmpty() ? base : base.withAttributes(Map.of());
    }

    /** The peer as trust policies and access controls see it: with its attributes. */
    public PeerIdentity identity() {
        return base.withAttributes(attributes.values());
    }

    /** This peer with other attributes (refreshed, or none once expired). */
    public VerifiedPeer with(PeerAttributes newAttributes) {
        return new VerifiedPeer(base, newAttributes);
    }

    /** This peer as it stands at {@code now}: without attributes once they expired. */
    public VerifiedPeer at(Instant now) {
        return with(attributes.at(now));
    }
}
