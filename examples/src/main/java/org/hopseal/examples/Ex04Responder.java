package org.hopseal.examples;

import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;

/**
 * Guide 04-routing-over-transport, responder: an Echoer behind a TCP listener, exposed to raw TCP on purpose. Argument:
 * the {@code HOST:PORT} to listen on (default {@code 127.0.0.1:4000}; port 0 picks one; a bare port means
 * {@code 127.0.0.1}). Prints {@code LISTENING <port>} and runs until killed.
 */
public final class Ex04Responder {
    private Ex04Responder() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode node = HopsealNode.start();
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
        // Raw TCP, no channel: the Echoer must be exposed to transports on purpose.
        node.context().startWorker("echoer", new Echoer(), Exposure.transports());
        int port = node.tcp().listen(HostPort.arg(args, 0, "127.0.0.1:4000")).getPort();
        System.out.println("LISTENING " + port);
        Thread.currentThread().join();
    }
}
