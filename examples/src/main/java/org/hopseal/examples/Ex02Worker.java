package org.hopseal.examples;

import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.worker.Echoer;

/** Guide 02-worker: an Echoer worker replies to the app. */
public final class Ex02Worker {
    private Ex02Worker() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode.run(ctx -> {
            // Start a worker, of type Echoer, at address "echoer"
            ctx.startWorker("echoer", new Echoer());

            // Send a message to the worker at address "echoer".
            ctx.send("echoer", "Hello Hopseal!");

            // Wait to receive a reply and print it.
            String reply = ctx.receive(String.class);
            System.out.println("App Received: " + reply);

            ctx.stop();
        });
    }
}
