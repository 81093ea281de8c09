package org.hopseal.examples;

import org.hopseal.api.node.HopsealNode;

/**
 * Guide 04-routing-over-transport-two-hops and 05-secure-channel-over-two-transport-hops, middle: a node that only
 * listens on TCP and forwards what passes through (for 05, ciphertext it cannot read); it forwards because it is
 * built with {@code forwardAnywhere()}, without which a node refuses to. Argument: the {@code HOST:PORT} to listen on
 * (default {@code 127.0.0.1:3000}; a bare port means {@code 127.0.0.1}). Prints {@code LISTENING <port>} and runs until
 * killed.
 */
public final class Ex04Middle {
    private Ex04Middle() {
    }

    public static void main(String[] args) throws Exception {
        // Forwarding is off unless asked for: this node exists to pass messages on.
        HopsealNode node = HopsealNode.builder().forwardAnywhere().start();
        Runtime.getRuntime().addShutdownHook(new Thread(node::stop));
        int port = node.tcp().listen(HostPort.arg(args, 0, "127.0.0.1:3000")).getPort();
        System.out.println("LISTENING " + port);
        Thread.currentThread().join();
    }
}
