package org.hopseal.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.core.runtime.CoreNodeFactory;

/**
 * Builders of nodes whose meters ({@link NodeMetrics}) count into a given registry.
 *
 * @since 0.2
 */
public final class MeteredNodes {
    private MeteredNodes() {
    }

    /** A builder of a node that counts its events into {@code registry}. */
    public static HopsealNode.Builder builder(MeterRegistry registry) {
        return CoreNodeFactory.builder(NodeMetrics.of(registry));
    }
}
