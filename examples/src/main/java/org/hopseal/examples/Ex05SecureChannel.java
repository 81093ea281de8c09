package org.hopseal.examples;

import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Echoer;

/** Guide 05-secure-channel: the Echoer reached through a Noise XX channel inside one node. */
public final class Ex05SecureChannel {
    private Ex05SecureChannel() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode.run(ctx -> {
            ctx.startWorker("echoer", new Echoer());
            // Two identities on the node's vault: a listener that accepts channels, and a channel to it.
            Entity bob = Entity.create(ctx);
            Entity alice = Entity.create(ctx);
            bob.createSecureChannelListener("secure_channel_listener");
            Address channel = alice.createSecureChannel("secure_channel_listener");
            // Encrypted as it enters the channel, decrypted as it leaves, then routed to the echoer.
            ctx.send(Route.of(channel, Address.of("echoer")), "Hello Hopseal!");
            System.out.println("App Received: " + ctx.receive(String.class));
            ctx.stop();
        });
    }
}
