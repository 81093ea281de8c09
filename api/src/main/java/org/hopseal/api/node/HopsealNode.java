package org.hopseal.api.node;

import java.util.List;
import org.hopseal.api.credential.Authority;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.credential.MemberCredentials;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.internal.RuntimeServices;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.portal.Outlet;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.relay.RelayService;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;

/**
 * A Hopseal node: its workers, its routing, its transports and its vault. The runtime is found through
 * {@link java.util.ServiceLoader} ({@code hopseal-core} provides it), so an application compiles against this API
 * alone.
 *
 * <pre>{@code
 * try (HopsealNode node = HopsealNode.builder().vault("file:/var/lib/app/app.vault").start()) {
 *     Entity me = Entity.createOrLoad(node.context(), "app");
 *     node.tcp().listen("0.0.0.0:4000");
 *     me.createSecureChannelListener("secure");
 *     ...
 * }
 * }</pre>
 *
 * <p>Default deny: a worker receives messages from outside the node only as its {@link org.hopseal.api.worker.Exposure}
 * admits, and the node forwards messages from outside to other nodes only when built to ({@link Builder#forwardAnywhere},
 * {@link Builder#forwardTo}).
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.2
 */
public interface HopsealNode extends AutoCloseable {
    /** A builder of a node; {@link Builder#start()} starts it. */
    static Builder builder() {
        return RuntimeServices.get(NodeFactory.class).builder();
    }

    /** Starts a node whose vault is an in-memory software vault, created on first use. */
    static HopsealNode start() throws HopsealException {
        return builder().start();
    }

    /** Runs a node program: starts a node, runs {@code program} with the node's context, and stops the node after. */
    static void run(NodeProgram program) throws Exception {
        try (HopsealNode node = start()) {
            program.run(node.context());
        }
    }

    /** The node of a context its runtime created (a worker's, or one from {@link #context()}). */
    static HopsealNode of(Context ctx) {
        return RuntimeServices.get(NodeFactory.class).nodeOf(ctx);
    }

    /** The node's own context (address {@code app}): the one that may stop the node. */
    Context context();

    /** The node's vault: the one it was built with, or an in-memory software vault created on first use. */
    Vaults vaults() throws HopsealException;

    /** The node's TCP transport, started on first use with the default limits; routes reach TCP peers as {@code 1#host:port}. */
    Tcp tcp() throws HopsealException;

    /**
     * An outlet named {@code name} that carries portal connections to {@code target} ({@code host:port}); made
     * reachable through secure-channel listeners with {@link Outlet.Builder#reachableThrough}.
     */
    Outlet.Builder outlet(String name, String target);

    /** An inlet listening on {@code from} ({@code host:port}; port 0 picks a free one). */
    Inlet.Builder inlet(String from);

    /**
     * A registration of {@code name} at the relay host {@code relayHost} ({@code host:port}), so that this node is
     * reached through it without an open port of its own.
     */
    Relay.Builder relay(String name, String relayHost);

    /** The relay service of this node (a relay host), which nodes register names at. */
    RelayService.Builder relayService();

    /**
     * The credential authority service of {@code authority} on this node, which enrolls identities presenting its
     * tickets and renews their credentials.
     *
     * @since 0.3
     */
    Authority.Builder authority(Entity authority);

    /**
     * Enrolls {@code member} with the ticket's authority: opens a secure channel along the ticket's route (accepting
     * only the authority the ticket names), presents the ticket, and stores the credential it gets in the member's
     * vault (where {@link #memberCredentials} finds it). Fails with the authority's reason if it refuses.
     *
     * @since 0.3
     */
    Credential enroll(Entity member, EnrollmentTicket ticket) throws HopsealException;

    /**
     * The credentials {@code member} got by enrolling, kept in its vault, renewed from their authorities before they
     * expire; present them with {@code SecureChannelOptions.withCredentials}.
     *
     * @since 0.3
     */
    MemberCredentials memberCredentials(Entity member) throws HopsealException;

    /** The secure channel ends open on this node now, with their counters. */
    List<ChannelStatistics> secureChannels();

    /** Whether the node runs (it has not been stopped). */
    boolean isRunning();

    /** Stops the node: every worker's {@code shutdown} runs, every connection closes and every thread ends. */
    void stop();

    @Override
    default void close() {
        stop();
    }

    /**
     * How a node is built.
     *
     * @since 0.2
     */
    interface Builder {
        /** The vault, by spec ({@code software}, {@code file:PATH}, {@code pkcs11:...}), opened on first use and closed by the node. */
        Builder vault(String spec);

        /** The vault, opened already; its opener closes it (after the node stops). */
        Builder vaults(Vaults vaults);

        /** Forwards messages from outside to any other node (a relay hop); off by default. */
        Builder forwardAnywhere();

        /** Forwards messages from outside only to these TCP destinations ({@code host:port}); off by default. */
        Builder forwardTo(List<String> destinations);

        /** Starts the node's TCP transport with the node, with these limits (else it starts on first use, with the defaults). */
        Builder tcp(TcpTransportOptions options);

        HopsealNode start() throws HopsealException;
    }
}
