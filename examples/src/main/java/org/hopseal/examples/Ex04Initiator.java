package org.hopseal.examples;

import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;

/** Guide 04-routing-over-transport, initiator: a message to the responder's Echoer over TCP. Argument: its port. */
public final class Ex04Initiator {
    private Ex04Initiator() {
    }

    public static void main(String[] args) throws Exception {
        String port = args.length > 0 ? args[0] : "4000";
        Node.run(ctx -> {
            TcpTransport.create(ctx);
            ctx.send(Route.of(Address.tcp("127.0.0.1:" + port), Address.of("echoer")), "Hello Hopseal!");
            System.out.println("App Received: " + ctx.receive(String.class));
            ctx.stop();
        });
    }
}
