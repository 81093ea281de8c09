package org.hopseal.examples;

import org.hopseal.api.node.HopsealNode;

/** Guide 01-node: start a node and stop it. */
public final class Ex01Node {
    private Ex01Node() {
    }

    public static void main(String[] args) throws Exception {
        HopsealNode.run(ctx -> {
            System.out.println("Node started; app context at " + ctx.address());
            // Stop the node, cleanup and return.
            ctx.stop();
        });
    }
}
