package org.hopseal.examples;

import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;

/**
 * Guide 04-routing-over-transport-two-hops, initiator. Arguments: the middle node's {@code HOST:PORT} (default
 * {@code 127.0.0.1:3000}) and the responder's (default {@code 127.0.0.1:4000}); a bare port means {@code 127.0.0.1}.
 */
public final class Ex04TwoHopsInitiator {
    private Ex04TwoHopsInitiator() {
    }

    public static void main(String[] args) throws Exception {
        String middle = HostPort.arg(args, 0, "127.0.0.1:3000");
        String responder = HostPort.arg(args, 1, "127.0.0.1:4000");
        HopsealNode.run(ctx -> {
            // Routes through 1#host:port addresses need the node's TCP transport: start it.
            HopsealNode.of(ctx).tcp();
            Address first = Address.tcp(middle);
            // Raw replies are unauthenticated: this context takes them from the connection to the middle node only.
            Context app = ctx.newContext(Address.random(), Exposure.through(first));
            app.send(Route.of(first, Address.tcp(responder), Address.of("echoer")), "Hello Hopseal!");
            System.out.println("App Received: " + app.receive(String.class));
            ctx.stop();
        });
    }
}
