package org.hopseal.api.node;

import org.hopseal.api.worker.Context;

/**
 * Service interface behind {@link HopsealNode}; {@code org.hopseal.core} provides it.
 *
 * @since 0.2
 */
public interface NodeFactory {
    /** {@return a new builder of a node of this runtime} */
    HopsealNode.Builder builder();

    /**
     * The node of a context its runtime created.
     *
     * @param ctx a context of a node of this runtime
     * @return the context's node
     * @throws IllegalArgumentException for any other context
     */
    HopsealNode nodeOf(Context ctx);
}
