package org.hopseal.examples;

import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;

/**
 * Guide 04-routing-over-transport, initiator: a message to the responder's Echoer over TCP. Argument: the responder's
 * {@code HOST:PORT} (default {@code 127.0.0.1:4000}; a bare port means {@code 127.0.0.1}).
 */
public final class Ex04Initiator {
    private Ex04Initiator() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode.run(ctx -> {
            // Routes through 1#host:port addresses need the node's TCP transport: start it.
            HopsealNode.of(ctx).tcp();
            Address responder = Address.tcp(HostPort.arg(args, 0, "127.0.0.1:4000"));
            // Raw replies are unauthenticated: this context takes them from that one connection only.
            Context app = ctx.newContext(Address.random(), Exposure.through(responder));
            app.send(Route.of(responder, Address.of("echoer")), "Hello Hopseal!");
            System.out.println("App Received: " + app.receive(String.class));
            ctx.stop();
        });
    }
}
