package org.hopseal.examples;

import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Echoer;

/** The guide's "Secure Channel" chapter: two entities, a mutually authenticated channel, the Echoer behind it. */
public final class SecureChannelWithEntity {
    private SecureChannelWithEntity() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode.run(ctx -> {
            // Start an Echoer worker at address "echoer"
            ctx.startWorker("echoer", new Echoer());

            Entity bob = Entity.create(ctx);

            // Connect to a secure channel listener and perform a handshake.
            Entity alice = Entity.create(ctx);

            // Create a secure channel listener.
            bob.createSecureChannelListener("bob_secure_channel_listener");

            Address channelToBob = alice.createSecureChannel("bob_secure_channel_listener");

            Address echoer = Address.of("echoer");
            Route route = Route.of(channelToBob, echoer);

            // Send a message to the echoer worker, via the secure channel.
            ctx.send(route, "Hello Hopseal!");

            // Wait to receive a reply and print it.
            String reply = ctx.receive(String.class);
            System.out.println("App Received: " + reply);

            // Stop all workers, stop the node, cleanup and return.
            ctx.stop();
        });
    }
}
