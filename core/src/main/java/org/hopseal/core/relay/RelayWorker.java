package org.hopseal.core.relay;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay on a relay host, at {@code forward_to_NAME}: it passes what clients send it to the registered node, by
 * the connection (or channel end) that node registered through, and what that node sends back to the connections
 * its route names. It never opens a connection, and the registered node reaches nothing local through it: each
 * message it passes carries it in the return route, so replies come back through it.
 *
 * <p>Client to node: onward {@code [relay, rest...]} becomes {@code [entry, rest...]}, return {@code [back...]}
 * becomes {@code [relay, back...]}. Node to client: onward {@code [relay, connection, rest...]} becomes
 * {@code [connection, rest...]}, return {@code [entry, back...]} becomes {@code [relay, back...]}.
 */
final class RelayWorker implements Worker<LocalMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(RelayWorker.class);
    /** Any peer can make a relay refuse: one line per interval for all relays of the JVM. */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.warnings(LOG);
    /** Messages a relay holds while it passes another on. */
    static final int CAPACITY = 1024;

    private final Node node;
    private final String name;
    private final Address entry;
    private final ClientConnections clients;

    RelayWorker(Node node, String name, Address entry, ClientConnections clients) {
        this.node = node;
        this.name = name;
        this.entry = entry;
        this.clients = clients;
    }

    /**
     * How a relay whose node is behind {@code entry} is started: any connection reaches it (clients and the
     * registered node); a channel end only if it is the entry; it runs on its senders' threads.
     */
    static WorkerOptions options(Address entry) {
        Exposure exposure = entry.isLocal() ? Exposure.through(entry).andTransports() : Exposure.transports();
        return new WorkerOptions(exposure, AccessControl.allowAll(), CAPACITY, true, true);
    }

    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws HopsealException {
        LocalMessage m = msg.body();
        Route onward = m.onwardRoute().stepForward();
        Route back = m.returnRoute();
        boolean fromNode = m.origin().entry().filter(entry::equals).isPresent();
        try {
            if (fromNode) {
                toClient(ctx.address(), m.transportMessage(), onward, back);
            } else {
                toNode(ctx.address(), m.transportMessage(), onward, back);
                m.origin().entry().ifPresent(clients::add);
            }
        } catch (HopsealException e) {
            REFUSALS.warn("relay {} could not pass on a message from {}: {}", name, LogText.of(m.origin()), LogText.of(e.getMessage()));
            node.replyWithError(m, e);
        }
    }

    private void toNode(Address self, TransportMessage message, Route onward, Route back) throws HopsealException {
        if (back.size() >= Route.MAX_LENGTH) {
            throw new RoutingException(ErrorKind.INVALID, "hop limit of " + Route.MAX_LENGTH + " reached");
        }
        node.routeWithoutConnecting(new LocalMessage(message.withOnwardRoute(onward.prepend(entry)).withReturnRoute(back.prepend(self))));
    }

    private void toClient(Address self, TransportMessage message, Route onward, Route back) throws HopsealException {
        if (onward.isEmpty() || onward.next().isLocal()) {
            throw new RoutingException(ErrorKind.UNTRUSTED, "relay " + name + " passes its node's messages only to connections");
        }
        Route rest = !back.isEmpty() && back.next().equals(entry) ? back.stepForward() : back;
        node.routeWithoutConnecting(new LocalMessage(message.withOnwardRoute(onward).withReturnRoute(rest.prepend(self))));
    }
}
