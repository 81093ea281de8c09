package org.hopseal.core.node;

import org.hopseal.api.worker.Context;

/**
 * The body of a node program, given the app context (address {@code app}).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface NodeBody {
    void run(Context ctx) throws Exception;
}
