package org.hopseal.api.node;

import org.hopseal.api.worker.Context;

/**
 * Service interface behind {@link HopsealNode}; {@code org.hopseal.core} provides it.
 *
 * @since 0.2
 */
public interface NodeFactory {
    HopsealNode.Builder builder();

    /** The node of a context its runtime created; {@link IllegalArgumentException} for any other context. */
    HopsealNode nodeOf(Context ctx);
}
