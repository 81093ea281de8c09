package org.hopseal.api.node;

import org.hopseal.api.worker.Context;

/**
 * The body of a node program ({@link HopsealNode#run}), given the node's own context.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface NodeProgram {
    void run(Context ctx) throws Exception;
}
