package org.hopseal.api.routing;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hopseal.api.identity.Identifier;

/**
 * A decoded message body with the routes it arrived on.
 *
 * @param <M> the body type
 * @since 0.1
 */
public record Routed<M>(M body, LocalMessage localMessage) {
    public Routed {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(localMessage, "localMessage");
    }

    public Route onwardRoute() {
        return localMessage.onwardRoute();
    }

    /** Where a reply goes. */
    public Route returnRoute() {
        return localMessage.returnRoute();
    }

    /** Where the message entered this node; set by the runtime only. */
    public Origin origin() {
        return localMessage.origin();
    }

    /**
     * The identifier that an authenticated secure channel verified for the sender, if the message came out of one
     * (read from its {@link Origin.Channel}, which only the runtime sets).
     */
    public Optional<Identifier> peerIdentifier() {
        return localMessage.origin().peerIdentifier();
    }

    /**
     * The attributes trusted authorities vouched for the sender in credentials it presented to the secure channel the
     * message came out of; empty otherwise.
     */
    public Map<String, String> peerAttributes() {
        return localMessage.origin().peerAttributes();
    }
}
