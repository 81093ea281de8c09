package org.hopseal.core.node;

import java.util.List;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.LocalMessage;

/**
 * Takes the messages whose next address has this router's transport type (e.g. TCP, type 1) and carries them to
 * another node. Registered with {@link Node#registerTransport}.
 *
 * <p>Thread safety: {@link #route} is called from many worker threads at once. It may block to apply backpressure;
 * it must not queue without bound.
 *
 * @since 0.1
 */
public interface TransportRouter extends AutoCloseable {
    /** Sends {@code message}, whose onward route starts with an address of this transport's type. */
    void route(LocalMessage message) throws HopsealException;

    /**
     * Sends {@code messages}, in order, which all go to the same next address of this transport's type and come from
     * the same origin: the frames of one large message, which a transport may send in one write. By default, one by
     * one as {@link #route} sends them.
     */
    default void routeTogether(List<LocalMessage> messages) throws HopsealException {
        for (LocalMessage message : messages) {
            route(message);
        }
    }

    /**
     * Sends {@code message} over the open connection its onward route names; never connects: a
     * {@code RoutingException} of kind {@code UNAVAILABLE} if that connection is gone. When the connection's queue is
     * full it waits for room, on any thread, until the connection's write timeout: what is sent so is never dropped
     * while the connection lives (a relay passes channel frames, which are not sent again).
     */
    void routeOverOpenConnection(LocalMessage message) throws HopsealException;

    /**
     * Sends an error reply over the open connection its onward route names; never connects, and drops the reply if
     * that connection is gone or cannot take it at once.
     */
    void reply(LocalMessage message) throws HopsealException;

    /** Closes connections and stops threads. */
    @Override
    void close();
}
