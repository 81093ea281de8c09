package org.hopseal.examples;

import org.hopseal.api.worker.Exposure;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.hopseal.core.workers.Echoer;

/**
 * Guide 04-routing-over-transport, responder: an Echoer behind a TCP listener, exposed to raw TCP on purpose. Argument: the port (default 4000;
 * 0 picks one). Prints {@code LISTENING <port>} and runs until killed.
 */
public final class Ex04Responder {
    private Ex04Responder() {
    }

    public static void main(String[] args) throws Exception {
        Node node = Node.start();
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
        // Raw TCP, no channel: the Echoer must be exposed to transports on purpose.
        node.context().startWorker("echoer", new Echoer(), Exposure.transports());
        int port = TcpTransport.create(node.context()).listen("127.0.0.1:" + (args.length > 0 ? args[0] : "4000")).getPort();
        System.out.println("LISTENING " + port);
        Thread.currentThread().join();
    }
}
