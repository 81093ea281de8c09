package org.hopseal.core.runtime;

import java.util.List;
import java.util.Objects;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.node.NodeFactory;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.core.node.Forwarding;
import org.hopseal.core.node.Node;
import org.hopseal.core.transport.tcp.TcpTransport;

/** Provides {@link HopsealNode}: nodes of this runtime. */
public final class CoreNodeFactory implements NodeFactory {
    @Override
    public HopsealNode.Builder builder() {
        return new Builder();
    }

    /** A builder of nodes that count their events into {@code metrics}. */
    public static HopsealNode.Builder builder(NodeMetrics metrics) {
        Builder builder = new Builder();
        builder.node.metrics(metrics);
        return builder;
    }

    @Override
    public HopsealNode nodeOf(Context ctx) {
        return new CoreNode(Node.of(ctx));
    }

    private static final class Builder implements HopsealNode.Builder {
        private final Node.Builder node = Node.builder();
        private TcpTransportOptions tcp;

        @Override
        public HopsealNode.Builder vault(String spec) {
            node.vault(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        @Override
        public HopsealNode.Builder vaults(Vaults vaults) {
            node.vaults(Objects.requireNonNull(vaults, "vaults"));
            return this;
        }

        @Override
        public HopsealNode.Builder forwardAnywhere() {
            node.forwarding(Forwarding.anywhere());
            return this;
        }

        @Override
        public HopsealNode.Builder forwardTo(List<String> destinations) {
            node.forwarding(Forwarding.to(destinations));
            return this;
        }

        @Override
        public HopsealNode.Builder tcp(TcpTransportOptions options) {
            this.tcp = Objects.requireNonNull(options, "options");
            return this;
        }

        @Override
        public HopsealNode start() throws HopsealException {
            Node started = node.start();
            if (tcp != null) {
                try {
                    TcpTransport.create(started.context(), tcp);
                } catch (HopsealException | RuntimeException e) {
                    started.stop();
                    throw e;
                }
            }
            return new CoreNode(started);
        }
    }
}
