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
    /**
     * Called once, on the worker's thread, before the first message. {@code startWorker} waits for it to return.
     *
     * @param ctx the worker's context
     * @throws Exception to refuse to start: {@code startWorker} then fails with it (wrapped as {@code INTERNAL} unless
     *     it is a {@link org.hopseal.api.error.HopsealException}) and the worker is not started
     */
    default void initialize(Context ctx) throws Exception {
    }

    /**
     * Called for each message, one at a time, in arrival order per sender. Messages that do not decode as {@code M},
     * and error replies from outside (unless {@code M} is {@code LocalMessage}), are logged and dropped before this.
     *
     * @param ctx the worker's context, for replies ({@code ctx.send(msg.returnRoute(), ...)}) and other sends
     * @param msg the message, decoded as {@code M}, with its routes and origin
     * @throws Exception any failure: it is logged with the worker's address, and the worker goes on with the next
     *     message (the sender is not told)
     */
    void handleMessage(Context ctx, Routed<M> msg) throws Exception;

    /**
     * Called once, on the worker's thread, when the worker or its node stops, after the messages queued before the
     * stop.
     *
     * @param ctx the worker's context
     * @throws Exception any failure: it is logged, and the worker stops all the same
     */
    default void shutdown(Context ctx) throws Exception {
    }
}
