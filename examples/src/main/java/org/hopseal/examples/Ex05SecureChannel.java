package org.hopseal.examples;

import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.channel.SecureChannels;
import org.hopseal.core.node.Node;
import org.hopseal.core.workers.Echoer;

/** Guide 05-secure-channel: the Echoer reached through a Noise XX channel inside one node. */
public final class Ex05SecureChannel {
    private Ex05SecureChannel() {
    }

    public static void main(String[] args) throws Exception {
        Node.run(ctx -> {
            ctx.startWorker("echoer", new Echoer());
            Vaults vaults = Node.of(ctx).vaults();

            // A listener that accepts channels, and a channel to it.
            SecureChannels.createListener(ctx, "secure_channel_listener", vaults);
            Address channel = SecureChannels.create(ctx, Route.of("secure_channel_listener"), vaults);

            // Encrypted as it enters the channel, decrypted as it leaves, then routed to the echoer.
            ctx.send(Route.of(channel, Address.of("echoer")), "Hello Hopseal!");
            System.out.println("App Received: " + ctx.receive(String.class));

            ctx.stop();
        });
    }
}
