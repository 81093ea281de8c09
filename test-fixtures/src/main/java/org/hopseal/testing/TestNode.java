package org.hopseal.testing;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;

/**
 * A node as most tests need it: started through the API (the runtime on the test class path provides it), with an
 * {@link Echoer} at {@link Echo#ECHOER}, reachable by local code only unless the test exposes it further, and a
 * {@link Tap} at {@link #TAP} started when the test first asks for it. Closing it stops the node.
 *
 * <pre>{@code
 * try (TestNode node = TestNode.start()) {
 *     assertThat(Echo.through(node.context(), Address.of(TestNode.TAP), "hi")).isEqualTo("hi");
 *     assertThat(node.tap().passed()).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Thread safety: thread safe.
 */
public final class TestNode implements AutoCloseable {
    /** The address the tap is started at: put it first on a route to pass through it. */
    public static final String TAP = "tap";

    private final HopsealNode node;
    private final ReentrantLock tapStart = new ReentrantLock();
    private Tap tap;

    private TestNode(HopsealNode node) {
        this.node = node;
    }

    /**
     * Starts a node with the default (in-memory) vault and an echoer for local code.
     *
     * @return the running node; close it to stop it
     * @throws HopsealException if the node or its echoer cannot be started
     */
    public static TestNode start() throws HopsealException {
        return builder().start();
    }

    /** {@return a builder of a test node} */
    public static Builder builder() {
        return new Builder(HopsealNode.builder());
    }

    /** {@return the node itself} */
    public HopsealNode node() {
        return node;
    }

    /** {@return the node's own context, which tests send and receive with} */
    public Context context() {
        return node.context();
    }

    /**
     * The tap at {@link #TAP}, started on the first call; later calls return the same tap.
     *
     * @return the tap
     * @throws HopsealException if it cannot be started ({@code ALREADY_EXISTS} if the test started something else
     *     at {@link #TAP}, {@code SHUTDOWN} if the node has stopped)
     */
    public Tap tap() throws HopsealException {
        tapStart.lock();
        try {
            if (tap == null) {
                Tap started = new Tap();
                node.context().startWorker(TAP, started);
                tap = started;
            }
            return tap;
        } finally {
            tapStart.unlock();
        }
    }

    /**
     * Listens for TCP connections on a free loopback port.
     *
     * @return the port
     * @throws HopsealException if the transport cannot be started or the port bound
     */
    public int listenOnLoopback() throws HopsealException {
        return node.tcp().listen("127.0.0.1:0").getPort();
    }

    /** Stops the node. */
    @Override
    public void close() {
        node.stop();
    }

    /** How a test node is built: the node's own settings, and who may reach its echoer. */
    public static final class Builder {
        private final HopsealNode.Builder node;
        private Exposure echoer = Exposure.none();

        private Builder(HopsealNode.Builder node) {
            this.node = node;
        }

        /**
         * The node's vaults, opened already ({@link HopsealNode.Builder#vaults}).
         *
         * @param vaults the vaults; the test closes them
         * @return this builder
         */
        public Builder vaults(Vaults vaults) {
            node.vaults(Objects.requireNonNull(vaults, "vaults"));
            return this;
        }

        /**
         * The node's vault by spec ({@link HopsealNode.Builder#vault}).
         *
         * @param spec {@code software}, {@code file:PATH}, {@code pkcs11:...}
         * @return this builder
         */
        public Builder vault(String spec) {
            node.vault(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /**
         * Forwards messages from outside to any other node ({@link HopsealNode.Builder#forwardAnywhere}).
         *
         * @return this builder
         */
        public Builder forwardAnywhere() {
            node.forwardAnywhere();
            return this;
        }

        /**
         * Who outside the node may reach the echoer besides local code: {@code Exposure.transports()} for raw TCP
         * peers, {@code Exposure.channelsOf("secure")} for the peers of a listener's channels.
         *
         * @param exposure the echoer's exposure
         * @return this builder
         */
        public Builder echoerExposedTo(Exposure exposure) {
            this.echoer = Objects.requireNonNull(exposure, "exposure");
            return this;
        }

        /**
         * Starts the node and its echoer; if the echoer cannot be started, the node is stopped again.
         *
         * @return the running node; close it to stop it
         * @throws HopsealException if the node or its echoer cannot be started
         */
        public TestNode start() throws HopsealException {
            HopsealNode started = node.start();
            try {
                started.context().startWorker(Echo.ECHOER, new Echoer(), echoer);
            } catch (HopsealException | RuntimeException e) {
                started.stop();
                throw e;
            }
            return new TestNode(started);
        }
    }
}
