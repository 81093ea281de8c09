package org.hopseal.api.worker;

import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Routed;

/**
 * Forwards every message one hop: removes itself from the onward route, prepends itself to the return route (so
 * replies come back through it) and routes the message on.
 *
 * @since 0.1
 */
public final class Hop implements Worker<LocalMessage> {
    /** A hop; it forwards what reaches it, so its exposure decides whom it forwards for. */
    public Hop() {
    }

    @Override
    public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws Exception {
        ctx.forward(msg.body().stepForward().prependReturn(ctx.address()));
    }
}
