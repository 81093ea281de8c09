package org.hopseal.examples;

import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Hop;

/** Guide 03-routing: a message through three Hop workers to the Echoer, and the reply back through them. */
public final class Ex03Routing {
    private Ex03Routing() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode.run(ctx -> {
            ctx.startWorker("echoer", new Echoer());
            ctx.startWorker("h1", new Hop());
            ctx.startWorker("h2", new Hop());
            ctx.startWorker("h3", new Hop());

            // Send a message to the echoer worker via the hops.
            ctx.send(Route.of("h1", "h2", "h3", "echoer"), "Hello Hopseal!");

            String reply = ctx.receive(String.class);
            System.out.println("App Received: " + reply);

            ctx.stop();
        });
    }
}
