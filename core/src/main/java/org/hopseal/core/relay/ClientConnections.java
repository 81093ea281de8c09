package org.hopseal.core.relay;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hopseal.api.routing.Address;
import org.hopseal.core.node.Node;

/**
 * The connections by which clients reached a relay host's relays. The host has no channel of its own on them (the
 * clients' channels run through to the registered nodes), so without this its transport would close them as idle
 * while such a channel is quiet. Each is kept until it closes; their number is bounded by the transport's connection
 * limits.
 *
 * <p>Thread safety: thread safe.
 */
final class ClientConnections {
    private final Set<Address> connections = ConcurrentHashMap.newKeySet();

    /** The set of {@code node}'s relay service, registered with its transports. */
    static ClientConnections of(Node node) {
        ClientConnections clients = new ClientConnections();
        node.onTransportUse(clients.connections::contains);
        node.onTransportClosed((address, reason) -> clients.connections.remove(address));
        return clients;
    }

    /** A client reached a relay by {@code connection} (a transport address; a channel end is ignored). */
    void add(Address connection) {
        if (!connection.isLocal()) {
            connections.add(connection);
        }
    }
}
