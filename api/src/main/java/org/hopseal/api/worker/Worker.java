package org.hopseal.api.worker;

import org.hopseal.api.routing.Routed;

/**
 * A worker: an actor that handles one message at a time on its own virtual thread, so its fields need no locks.
 *
 * <p>The message type {@code M} is read from the worker class's generic declaration ({@code class Echoer implements
 * Worker<String>}); a lambda has no such declaration, so start it with
 * {@link Context#startWorker(String, Class, Worker)}.
 *
 * <p>An exception thrown by {@link #handleMessage} is logged with the worker's address; the worker keeps running.
 *
 * @param <M> the message body type
 * @since 0.1
 */
@FunctionalInterface
public interface Worker<M> {
    /** Called once, on the worker's thread, before the first message. */
    default void initialize(Context ctx) throws Exception {
    }

    /** Called for each message, one at a time, in arrival order per sender. */
    void handleMessage(Context ctx, Routed<M> msg) throws Exception;

    /** Called once, on the worker's thread, when the worker or its node stops. */
    default void shutdown(Context ctx) throws Exception {
    }
}
