package org.hopseal.core.node;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.hopseal.api.routing.Origin;

/**
 * The origins this node's runtime gave out, one per open connection and per open channel end, held by identity: a
 * worker may forward a message under one of these (as it received it), never under an origin it made itself, which
 * would claim a connection, a channel or a peer identifier the message did not come by.
 *
 * <p>Thread safety: thread safe.
 */
final class IssuedOrigins {
    private final Set<Origin> live = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    <O extends Origin> O issue(O origin) {
        live.add(origin);
        return origin;
    }

    void retire(Origin origin) {
        live.remove(origin);
    }

    /** Whether {@code origin} is local, or is the very object the runtime issued for a connection or channel still open. */
    boolean isIssued(Origin origin) {
        return origin.isLocal() || live.contains(origin);
    }
}
