package org.hopseal.api.routing;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hopseal.api.identity.Identifier;

/**
 * A decoded message body with the routes it arrived on: what a {@link org.hopseal.api.worker.Worker} is handed and
 * what {@link org.hopseal.api.worker.Context#receiveRouted Context.receiveRouted} returns.
 *
 * @param <M> the body type
 * @param body the payload decoded by the codec registered for {@code M} (for {@code M = LocalMessage}, the message
 *     itself)
 * @param localMessage the message as it arrived: routes, local information and origin
 * @since 0.1
 */
public record Routed<M>(M body, LocalMessage localMessage) {
    /**
     * Checks that both components are present.
     *
     * @throws NullPointerException if {@code body} or {@code localMessage} is {@code null}
     */
    public Routed {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(localMessage, "localMessage");
    }

    /**
     * {@return the onward route as the message arrived: the receiver's own address first, then any hops the message
     * is still to take} A worker that passes the message on removes itself first ({@link LocalMessage#stepForward()}).
     */
    public Route onwardRoute() {
        return localMessage.onwardRoute();
    }

    /** {@return where a reply goes: send to it to answer the sender} */
    public Route returnRoute() {
        return localMessage.returnRoute();
    }

    /** {@return where the message entered this node; set by the runtime only} */
    public Origin origin() {
        return localMessage.origin();
    }

    /**
     * {@return the identifier that an authenticated secure channel verified for the sender, if the message came out
     * of one} It is read from the message's {@link Origin.Channel}, which only the runtime sets.
     */
    public Optional<Identifier> peerIdentifier() {
        return localMessage.origin().peerIdentifier();
    }

    /**
     * {@return the attributes trusted authorities vouched for the sender in credentials it presented to the secure
     * channel the message came out of; empty otherwise}
     */
    public Map<String, String> peerAttributes() {
        return localMessage.origin().peerAttributes();
    }
}
