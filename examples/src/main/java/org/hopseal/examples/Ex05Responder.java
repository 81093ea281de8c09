package org.hopseal.examples;

import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;

/**
 * Guide 05-secure-channel-over-two-transport-hops, responder: an entity's channel listener and an Echoer behind TCP.
 * Argument: the {@code HOST:PORT} to listen on (default {@code 127.0.0.1:4000}; port 0 picks one; a bare port means
 * {@code 127.0.0.1}). Prints {@code LISTENING <port> <identifier>} and runs until killed.
 */
public final class Ex05Responder {
    private Ex05Responder() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode node = HopsealNode.start();
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
        var ctx = node.context();
        // Reachable only through channels this listener accepted.
        ctx.startWorker("echoer", new Echoer(), Exposure.channelsOf("secure_channel_listener"));
        Entity bob = Entity.create(ctx);
        bob.createSecureChannelListener("secure_channel_listener");
        int port = node.tcp().listen(HostPort.arg(args, 0, "127.0.0.1:4000")).getPort();
        System.out.println("LISTENING " + port + " " + bob.identifier());
        Thread.currentThread().join();
    }
}
