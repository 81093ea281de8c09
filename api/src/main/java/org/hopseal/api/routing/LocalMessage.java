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
 * @param transportMessage the part that crosses nodes: routes and encoded body
 * @param localInfo the node's own bookkeeping, key to value; copied, never sent
 * @param origin where the message entered this node; {@link Origin#LOCAL} for a message this node's code made
 * @since 0.1
 */
public record LocalMessage(TransportMessage transportMessage, Map<String, String> localInfo, Origin origin) {
    /**
     * Copies {@code localInfo}.
     *
     * @throws NullPointerException if any component, or a key or value of {@code localInfo}, is {@code null}
     */
    public LocalMessage {
        Objects.requireNonNull(transportMessage, "transportMessage");
        Objects.requireNonNull(origin, "origin");
        localInfo = Map.copyOf(localInfo);
    }

    /**
     * A message sent by code of this node ({@link Origin#LOCAL}).
     *
     * @param transportMessage the routes and encoded body
     * @param localInfo the node's own bookkeeping; copied
     */
    public LocalMessage(TransportMessage transportMessage, Map<String, String> localInfo) {
        this(transportMessage, localInfo, Origin.LOCAL);
    }

    /**
     * A message sent by code of this node ({@link Origin#LOCAL}), without local information.
     *
     * @param transportMessage the routes and encoded body
     */
    public LocalMessage(TransportMessage transportMessage) {
        this(transportMessage, Map.of(), Origin.LOCAL);
    }

    /**
     * {@return the addresses the message is routed along, the next first; in a message handed to a worker, the first
     * is that worker's own address}
     */
    public Route onwardRoute() {
        return transportMessage.onwardRoute();
    }

    /** {@return where a reply goes: the hops the message came through, nearest first} */
    public Route returnRoute() {
        return transportMessage.returnRoute();
    }

    /**
     * One entry of the local information.
     *
     * @param key the entry's key
     * @return its value; empty if there is none
     */
    public Optional<String> localInfo(String key) {
        return Optional.ofNullable(localInfo.get(key));
    }

    /**
     * This message with local information added (or replaced).
     *
     * @param key the entry's key
     * @param value its value
     * @return a new message; this one is unchanged
     */
    public LocalMessage withLocalInfo(String key, String value) {
        Map<String, String> map = new HashMap<>(localInfo);
        map.put(key, value);
        return new LocalMessage(transportMessage, map, origin);
    }

    /**
     * This message with other routes and body, under the same origin and local information.
     *
     * @param message the new transport message
     * @return a new message; this one is unchanged
     */
    public LocalMessage withTransportMessage(TransportMessage message) {
        return new LocalMessage(message, localInfo, origin);
    }

    /**
     * This message as having entered the node at {@code origin}. Only origins the runtime issued count: a worker that
     * forwards a message under an origin of its own making is refused
     * ({@link org.hopseal.api.worker.Context#forward Context.forward}).
     *
     * @param origin where the message entered
     * @return a new message; this one is unchanged
     */
    public LocalMessage withOrigin(Origin origin) {
        return new LocalMessage(transportMessage, localInfo, origin);
    }

    /**
     * This message one hop further: the next address removed from the onward route.
     *
     * @return a new message; this one is unchanged
     * @throws java.util.NoSuchElementException if the onward route is empty
     */
    public LocalMessage stepForward() {
        return withTransportMessage(transportMessage.withOnwardRoute(transportMessage.onwardRoute().stepForward()));
    }

    /**
     * This message with {@code address} prepended to the return route, so that replies come back through it.
     *
     * @param address the hop to add
     * @return a new message; this one is unchanged
     */
    public LocalMessage prependReturn(Address address) {
        return withTransportMessage(transportMessage.withReturnRoute(transportMessage.returnRoute().prepend(address)));
    }
}
