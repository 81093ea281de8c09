package org.hopseal.core.relay;

import org.hopseal.api.relay.Relay;
import org.hopseal.api.relay.RelayService;
import org.hopseal.core.node.Node;

/** Where a node's relays and relay service are made. */
public final class Relays {
    private Relays() {
    }

    /** A builder of a registration of {@code name} at {@code relayHost} for {@code node}. */
    public static Relay.Builder relay(Node node, String name, String relayHost) {
        return new CoreRelay.Builder(node, name, relayHost);
    }

    /** A builder of {@code node}'s relay service. */
    public static RelayService.Builder service(Node node) {
        return new CoreRelayService.Builder(node);
    }
}
