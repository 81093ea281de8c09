package org.hopseal.examples;

import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;

/**
 * Guide 05-secure-channel-over-two-transport-hops, initiator: an end-to-end channel through the middle node to the
 * responder's listener, then a message to the Echoer through it. Arguments: the middle's port, the responder's port.
 */
public final class Ex05Initiator {
    private Ex05Initiator() {
    }

    public static void main(String[] args) throws Exception {
        String middle = args.length > 0 ? args[0] : "3000";
        String responder = args.length > 1 ? args[1] : "4000";
        HopsealNode.run(ctx -> {
            // Routes through 1#host:port addresses need the node's TCP transport: start it.
            HopsealNode.of(ctx).tcp();
            Entity alice = Entity.create(ctx);
            Route toListener = Route.of(Address.tcp("127.0.0.1:" + middle), Address.tcp("127.0.0.1:" + responder),
                    Address.of("secure_channel_listener"));
            Address channel = alice.createSecureChannel(toListener);
            ctx.send(Route.of(channel, Address.of("echoer")), "Hello Hopseal!");
            System.out.println("App Received: " + ctx.receive(String.class));
            ctx.stop();
        });
    }
}
