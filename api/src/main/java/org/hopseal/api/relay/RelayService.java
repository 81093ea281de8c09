package org.hopseal.api.relay;

import java.util.Set;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.TrustPolicy;

/**
 * A relay host's registration service, at {@link Relay#SERVICE}: nodes that cannot accept connections register
 * names here over a secure channel, and messages sent to {@link Relay#address(String) forward_to_NAME} are passed to
 * the node that registered NAME, over the connection it registered on.
 *
 * <pre>{@code
 * node.tcp().listen("0.0.0.0:4000");
 * me.createSecureChannelListener("secure");
 * node.relayService().reachableThrough("secure").trust(new TrustIdentifierPolicy(db)).start();
 * }</pre>
 *
 * <p>A name is bound to the identity that registered it first: another identity is refused; the same identity
 * registering again (after a reconnect) replaces its route. Names are kept while the service runs (they are not
 * persisted). Only registrations over channels accepted by the listeners the service is {@linkplain
 * Builder#reachableThrough reachable through}, from peers its trust policy accepts, are taken. A relay forwards only to
 * its registered node, and what that node sends back only to the connections that reached the relay: nothing else on
 * the host becomes reachable through it.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.3
 */
public interface RelayService extends AutoCloseable {
    /** The default bound on names held at once. */
    int DEFAULT_MAX_RELAYS = 10_000;
    /** The default bound on names one identity holds. */
    int DEFAULT_MAX_RELAYS_PER_IDENTITY = 64;

    /** {@return the names whose node is connected now} */
    Set<String> connected();

    /** Stops the service: its relays stop and their names are forgotten. */
    @Override
    void close();

    /**
     * How a relay service is made.
     *
     * @since 0.3
     */
    interface Builder {
        /**
         * The secure-channel listeners whose channels may register names (at least one, checked when the service
         * starts).
         *
         * @param listeners the listeners' local addresses, e.g. {@code "secure"}
         * @return this builder
         * @throws IllegalArgumentException if an address names a transport type above 255
         */
        Builder reachableThrough(String... listeners);

        /**
         * Which authenticated peers may register names (everyone the listener accepted, by default).
         *
         * @param policy decides on each registering peer
         * @return this builder
         */
        Builder trust(TrustPolicy policy);

        /**
         * The most names held at once; more registrations are refused ({@value #DEFAULT_MAX_RELAYS} by default).
         *
         * @param relays at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code relays} is less than 1
         */
        Builder maxRelays(int relays);

        /**
         * The most names one identity holds ({@value #DEFAULT_MAX_RELAYS_PER_IDENTITY} by default).
         *
         * @param relays at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code relays} is less than 1
         */
        Builder maxRelaysPerIdentity(int relays);

        /**
         * Starts the service at {@value Relay#SERVICE} on the node; a node runs at most one.
         *
         * @return the running service; close it to stop it
         * @throws HopsealException a {@code RoutingException}: {@code INVALID} without listeners,
         *     {@code ALREADY_EXISTS} if the node runs a service at {@value Relay#SERVICE} already
         */
        RelayService start() throws HopsealException;
    }
}
