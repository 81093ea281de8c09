package org.hopseal.api.node;

import org.hopseal.api.worker.Context;

/**
 * The body of a node program ({@link HopsealNode#run}), given the node's own context.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface NodeProgram {
    /**
     * Runs the program; the node stops when it returns or throws.
     *
     * @param ctx the node's own context (address {@code app}), which may stop the node
     * @throws Exception any failure, which {@link HopsealNode#run} passes on after stopping the node
     */
    void run(Context ctx) throws Exception;
}
