package org.hopseal.api.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TransportMessage} plus local information that never leaves the node: where the message entered this node
 * ({@link Origin}: the connection or secure channel, and the peer identifier that channel authenticated), and a map
 * of strings for the node's own bookkeeping. Access decisions read only the origin: the runtime sets it, and a worker
 * cannot forward a message under an origin the runtime did not give it.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public record LocalMessage(TransportMessage transportMessage, Map<String, String> localInfo, Origin origin) {
    public LocalMessage {
        Objects.requireNonNull(transportMessage, "transportMessage");
        Objects.requireNonNull(origin, "origin");
        localInfo = Map.copyOf(localInfo);
    }

    /** A message sent by code of this node ({@link Origin#LOCAL}). */
    public LocalMessage(TransportMessage transportMessage, Map<String, String> localInfo) {
        this(transportMessage, localInfo, Origin.LOCAL);
    }

    /** A message sent by code of this node ({@link Origin#LOCAL}), without local information. */
    public LocalMessage(TransportMessage transportMessage) {
        this(transportMessage, Map.of(), Origin.LOCAL);
    }

    public Route onwardRoute() {
        return transportMessage.onwardRoute();
    }

    public Route returnRoute() {
        return transportMessage.returnRoute();
    }

    public Optional<String> localInfo(String key) {
        return Optional.ofNullable(localInfo.get(key));
    }

    /** This message with local information added (or replaced). */
    public LocalMessage withLocalInfo(String key, String value) {
        Map<String, String> map = new HashMap<>(localInfo);
        map.put(key, value);
        return new LocalMessage(transportMessage, map, origin);
    }

    public LocalMessage withTransportMessage(TransportMessage message) {
        return new LocalMessage(message, localInfo, origin);
    }

    /** This message as having entered the node at {@code origin}. */
    public LocalMessage withOrigin(Origin origin) {
        return new LocalMessage(transportMessage, localInfo, origin);
    }

    /** This message one hop further: the next address removed from the onward route. */
    public LocalMessage stepForward() {
        return withTransportMessage(transportMessage.withOnwardRoute(transportMessage.onwardRoute().stepForward()));
    }

    /** This message with {@code address} prepended to the return route. */
    public LocalMessage prependReturn(Address address) {
        return withTransportMessage(transportMessage.withReturnRoute(transportMessage.returnRoute().prepend(address)));
    }
}
