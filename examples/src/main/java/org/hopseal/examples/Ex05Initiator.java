package org.hopseal.examples;

import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;

/**
 * Guide 05-secure-channel-over-two-transport-hops, initiator: an end-to-end channel through the middle node to the
 * responder's listener, then a message to the Echoer through it. Arguments: the middle node's {@code HOST:PORT}
 * (default {@code 127.0.0.1:3000}) and the responder's (default {@code 127.0.0.1:4000}); a bare port means
 * {@code 127.0.0.1}.
 */
public final class Ex05Initiator {
    private Ex05Initiator() {
    }

    public static void main(String[] args) throws Exception {
        String middle = HostPort.arg(args, 0, "127.0.0.1:3000");
        String responder = HostPort.arg(args, 1, "127.0.0.1:4000");
        HopsealNode.run(ctx -> {
            // Routes through 1#host:port addresses need the node's TCP transport: start it.
            HopsealNode.of(ctx).tcp();
            Entity alice = Entity.create(ctx);
            Route toListener = Route.of(Address.tcp(middle), Address.tcp(responder),
                    Address.of("secure_channel_listener"));
            Address channel = alice.createSecureChannel(toListener);
            ctx.send(Route.of(channel, Address.of("echoer")), "Hello Hopseal!");
            System.out.println("App Received: " + ctx.receive(String.class));
            ctx.stop();
        });
    }
}
