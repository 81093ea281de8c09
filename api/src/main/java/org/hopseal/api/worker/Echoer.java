package org.hopseal.api.worker;

import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;

/**
 * Replies to every message with its body, unchanged, along its return route. Works for any body type because it
 * echoes the encoded payload as it came.
 *
 * @since 0.1
 */
public final class Echoer implements Worker<LocalMessage> {
    /** An echoer; start it with {@code ctx.startWorker("echoer", new Echoer())}, which admits local senders only. */
    public Echoer() {
    }

    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws Exception {
        TransportMessage in = msg.body().transportMessage();
        ctx.forward(new LocalMessage(in.withRoutes(in.returnRoute(), Route.of(ctx.address()))));
    }
}
