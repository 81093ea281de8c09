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
 * <p>The static methods need the runtime on the class or module path: without it they throw
 * {@link IllegalStateException}.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.2
 */
public interface HopsealNode extends AutoCloseable {
    /** {@return a builder of a node; {@link Builder#start()} starts it} */
    static Builder builder() {
        return RuntimeServices.get(NodeFactory.class).builder();
    }

    /**
     * Starts a node whose vault is an in-memory software vault, created on first use, with the default settings.
     *
     * @return the running node; close it to stop it
     * @throws HopsealException if the node cannot be started
     */
    static HopsealNode start() throws HopsealException {
        return builder().start();
    }

    /**
     * Runs a node program: starts a node as {@link #start()} does, runs {@code program} with the node's context, and
     * stops the node after, whether the program returns or throws.
     *
     * @param program the program
     * @throws Exception what the program throws, or a {@link HopsealException} if the node cannot be started
     */
    static void run(NodeProgram program) throws Exception {
        try (HopsealNode node = start()) {
            program.run(node.context());
        }
    }

    /**
     * The node of a context its runtime created (a worker's, or one from {@link #context()}).
     *
     * @param ctx the context
     * @return a view of the context's node
     * @throws IllegalArgumentException if the runtime did not create {@code ctx}
     */
    static HopsealNode of(Context ctx) {
        return RuntimeServices.get(NodeFactory.class).nodeOf(ctx);
    }

    /** {@return the node's own context (address {@code app}): the one that may stop the node} */
    Context context();

    /**
     * The node's vault: the one it was built with, or an in-memory software vault created on first use. A vault
     * given by spec is opened on the first call; if it cannot be, this fails, and never falls back to another vault.
     *
     * @return the node's vaults, which the node closes when it stops if it opened them
     * @throws HopsealException a {@code VaultException} if the vault given by spec cannot be opened
     */
    Vaults vaults() throws HopsealException;

    /**
     * The node's TCP transport, started on first use with the default limits (or those given to
     * {@link Builder#tcp}); routes reach TCP peers as {@code 1#host:port}. Sending to a TCP address fails with
     * {@code UNSUPPORTED} until the transport is started.
     *
     * @return the transport, the same on every call
     * @throws HopsealException if the transport cannot be started
     */
    Tcp tcp() throws HopsealException;

    /**
     * An outlet named {@code name} that carries portal connections to {@code target} ({@code host:port}); made
     * reachable through secure-channel listeners with {@link Outlet.Builder#reachableThrough}.
     *
     * @param name the outlet's local address, which inlets name
     * @param target the service's {@code host:port}, checked when the outlet starts
     * @return the outlet's builder
     */
    Outlet.Builder outlet(String name, String target);

    /**
     * An inlet listening on {@code from}.
     *
     * @param from {@code host:port} to listen on; port 0 picks a free one. Checked when the inlet starts
     * @return the inlet's builder
     */
    Inlet.Builder inlet(String from);

    /**
     * A registration of {@code name} at the relay host {@code relayHost} ({@code host:port}), so that this node is
     * reached through it without an open port of its own.
     *
     * @param name the name to register, as {@link Relay#checkName} allows
     * @param relayHost the relay host's {@code host:port}
     * @return the relay's builder
     * @throws IllegalArgumentException if {@code name} is not a relay name
     */
    Relay.Builder relay(String name, String relayHost);

    /** {@return a builder of the relay service of this node (a relay host), which nodes register names at} */
    RelayService.Builder relayService();

    /**
     * The credential authority service of {@code authority} on this node, which enrolls identities presenting its
     * tickets and renews their credentials.
     *
     * @param authority the identity that signs tickets and credentials; its vault keeps the members
     * @return the service's builder
     * @throws IllegalArgumentException if {@code authority} is not an entity of this runtime
     * @since 0.3
     */
    Authority.Builder authority(Entity authority);

    /**
     * Enrolls {@code member} with the ticket's authority: opens a secure channel along the ticket's route (accepting
     * only the authority the ticket names), presents the ticket, and stores the credential it gets in the member's
     * vault (where {@link #memberCredentials} finds it). Fails with the authority's reason if it refuses. Starts the
     * TCP transport if it is not running.
     *
     * @param member the identity to enroll
     * @param ticket the authority's ticket
     * @return the credential the authority issued
     * @throws HopsealException a {@code CredentialException} {@code UNTRUSTED} with the authority's reason if it
     *     refuses (a ticket expired or used up, say), {@code PROTOCOL} if its answer is malformed or not for
     *     {@code member}; a {@link org.hopseal.api.error.HopsealTimeoutException} if it does not answer within 10
     *     seconds; or why the channel to it could not be opened, as {@code Entity.createSecureChannel} says
     * @since 0.3
     */
    Credential enroll(Entity member, EnrollmentTicket ticket) throws HopsealException;

    /**
     * The credentials {@code member} got by enrolling, kept in its vault, renewed from their authorities before they
     * expire; present them with {@code SecureChannelOptions.withCredentials}. Starts the TCP transport if it is not
     * running.
     *
     * @param member the enrolled identity
     * @return its credentials, renewed in the background until closed
     * @throws HopsealException an {@code IdentityException} {@code INVALID} if {@code member} is not an entity of
     *     this runtime, or a {@code VaultException} if its vault cannot be read
     * @since 0.3
     */
    MemberCredentials memberCredentials(Entity member) throws HopsealException;

    /** {@return the secure channel ends open on this node now, with their counters} */
    List<ChannelStatistics> secureChannels();

    /** {@return whether the node runs (it has not been stopped)} */
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
        /**
         * The vault, by spec, opened on first use and closed by the node. A spec that cannot be opened fails then
         * ({@link HopsealNode#vaults()}, or the first identity), not at {@link #start()}.
         *
         * @param spec {@code software}, {@code file:PATH}, {@code pkcs11:...}
         * @return this builder
         */
        Builder vault(String spec);

        /**
         * The vault, opened already; its opener closes it (after the node stops). It takes precedence over a spec given
         * to {@link #vault(String)}.
         *
         * @param vaults the opened vaults
         * @return this builder
         */
        Builder vaults(Vaults vaults);

        /**
         * Forwards messages from outside to any other node (a relay hop); off by default.
         *
         * @return this builder
         */
        Builder forwardAnywhere();

        /**
         * Forwards messages from outside only to these TCP destinations; off by default. Replies to connections that
         * reached this node are forwarded too.
         *
         * @param destinations {@code host:port} (or {@code 1#host:port}) of each node messages may be forwarded to
         * @return this builder
         */
        Builder forwardTo(List<String> destinations);

        /**
         * Starts the node's TCP transport with the node, with these limits (else it starts on first use, with the
         * defaults).
         *
         * @param options the transport's bounds
         * @return this builder
         */
        Builder tcp(TcpTransportOptions options);

        /**
         * Starts the node, and its TCP transport if {@link #tcp} was given.
         *
         * @return the running node; close it to stop it
         * @throws HopsealException if the node or its transport cannot be started
         */
        HopsealNode start() throws HopsealException;
    }
}
