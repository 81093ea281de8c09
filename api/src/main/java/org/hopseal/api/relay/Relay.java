package org.hopseal.api.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;

/**
 * A node's registration of a name at one relay host: it connects out to the host, opens a secure channel to the
 * host's listener, registers the name (bound to this node's identity), and registers again whenever the connection
 * or the host is lost. Others then reach this node's secure-channel listeners and outlets by {@link #route}, with no
 * port open on this node; the relay host sees only their end-to-end ciphertext.
 *
 * <pre>{@code
 * // on the hidden node
 * Relay relay = node.relay("db", "relay.example:4000").entity(me).start();
 * relay.awaitRegistered(Duration.ofSeconds(10));
 * // on a client
 * Address channel = alice.createSecureChannel(Relay.route("relay.example:4000", "db", "secure"), trustDb);
 * }</pre>
 *
 * <p>Default deny: what the relay host sends this node reaches only its secure-channel listeners (and the channels
 * they accept), never its other workers nor its application's contexts.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.3
 */
public interface Relay extends AutoCloseable {
    /** The address of a relay host's registration service. */
    String SERVICE = "relays";
    /**
     * How long a relay's secure channel to its host may hear nothing (it pings after a third) before the relay
     * registers anew. A host that restarts or drops the connection is noticed at once; this is for one that vanished
     * without a word.
     */
    Duration LIVENESS_TIMEOUT = Duration.ofSeconds(20);

    /** Names a relay may register: a letter or digit, then up to 63 letters, digits, {@code .}, {@code _} or {@code -}. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Checks a relay name.
     *
     * @param name the candidate name
     * @return {@code name}, if it is a relay name (see {@link #NAME})
     * @throws IllegalArgumentException if it is not (or is {@code null}), saying what a name may be
     */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a relay name is a letter or digit, then up to 63 letters, digits, '.', '_' or '-'; was '"
                    + name + "'");
        }
        return name;
    }

    /**
     * The address at a relay host that forwards to the node registered as {@code name}.
     *
     * @param name a relay name
     * @return the local address {@code forward_to_NAME}
     * @throws IllegalArgumentException if {@code name} is not a relay name
     */
    static Address address(String name) {
        return Address.of("forward_to_" + checkName(name));
    }

    /**
     * The route from a client to {@code then} (a listener's address, say {@code secure}) on the node registered as
     * {@code name} at the relay host {@code relayHost} ({@code host:port}).
     *
     * @param relayHost the relay host's {@code host:port}
     * @param name the name the node registered
     * @param then the addresses to go on to on that node, in the text form of {@link Address#of(String)}
     * @return {@code [1#relayHost, forward_to_NAME, ...then]}
     * @throws IllegalArgumentException if {@code name} is not a relay name
     */
    static Route route(String relayHost, String name, String... then) {
        List<Address> hops = new ArrayList<>();
        hops.add(Address.tcp(relayHost));
        hops.add(address(name));
        for (String t : then) {
            hops.add(Address.of(t));
        }
        return Route.of(hops);
    }

    /** {@return the name this relay registers} */
    String name();

    /** {@return the relay host ({@code host:port})} */
    String relayHost();

    /** {@return whether the name is registered at the relay host now} */
    boolean isRegistered();

    /** {@return the identifier of the relay host the current registration was made with; empty while not registered} */
    Optional<Identifier> relayIdentifier();

    /**
     * Waits until the name is registered; returns at once if it is.
     *
     * @param timeout how long to wait
     * @throws HopsealException a {@link org.hopseal.api.error.HopsealTimeoutException} if the name is not
     *     registered within {@code timeout}; a {@code RoutingException} {@code SHUTDOWN} if the relay is closed
     */
    void awaitRegistered(Duration timeout) throws HopsealException;

    /** Stops registering: the secure channel to the relay host closes, which ends the registration there. */
    @Override
    void close();

    /**
     * How a relay is made.
     *
     * @since 0.3
     */
    interface Builder {
        /**
         * The identity the name is registered for (required): the relay host binds the name to it.
         *
         * @param entity an identity of this runtime
         * @return this builder
         * @throws IllegalArgumentException if {@code entity} is not an entity of this runtime
         */
        Builder entity(Entity entity);

        /**
         * Which relay hosts to accept once authenticated (everyone by default: the host only carries ciphertext).
         *
         * @param policy decides on the relay host's identity
         * @return this builder
         */
        Builder trust(TrustPolicy policy);

        /**
         * What the registration channel presents to the relay host (nothing by default), for a host whose policy admits
         * registrations by attributes (e.g. {@code HopsealNode.memberCredentials(entity)}).
         *
         * @param source the credentials to present
         * @return this builder
         */
        Builder credentials(CredentialSource source);

        /**
         * The address of the relay host's secure-channel listener ({@code secure} by default).
         *
         * @param address the listener's local address on the relay host
         * @return this builder
         * @throws IllegalArgumentException if {@code address} names a transport type above 255
         */
        Builder listener(String address);

        /**
         * Runs after every registration (the first and each one after a loss), on the relay's own thread.
         *
         * @param listener called with the relay; it should return quickly
         * @return this builder
         */
        Builder onRegistered(Consumer<Relay> listener);

        /**
         * Starts registering, in the background: {@link Relay#awaitRegistered} waits for the first registration.
         * Starts the node's TCP transport if it is not running.
         *
         * @return the relay, registering; close it to stop
         * @throws HopsealException a {@code RoutingException}: {@code INVALID} without an entity or for a relay host
         *     that is not {@code host:port}, {@code UNAVAILABLE} if its host cannot be resolved
         */
        Relay start() throws HopsealException;
    }
}
