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

    /** {@code name}, if it is a relay name (see {@link #NAME}); else an {@link IllegalArgumentException} that says why. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a relay name is a letter or digit, then up to 63 letters, digits, '.', '_' or '-'; was '"
                    + name + "'");
        }
        return name;
    }

    /** The address at a relay host that forwards to the node registered as {@code name}. */
    static Address address(String name) {
        return Address.of("forward_to_" + checkName(name));
    }

    /**
     * The route from a client to {@code then} (a listener's address, say {@code secure}) on the node registered as
     * {@code name} at the relay host {@code relayHost} ({@code host:port}).
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

    /** The name this relay registers. */
    String name();

    /** The relay host ({@code host:port}). */
    String relayHost();

    /** Whether the name is registered at the relay host now. */
    boolean isRegistered();

    /** The identifier of the relay host the current registration was made with; empty while not registered. */
    Optional<Identifier> relayIdentifier();

    /** Waits until the name is registered; a timeout error if it is not within {@code timeout}. */
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
        /** The identity the name is registered for (required): the relay host binds the name to it. */
        Builder entity(Entity entity);

        /** Which relay hosts to accept once authenticated (everyone by default: the host only carries ciphertext). */
        Builder trust(TrustPolicy policy);

        /**
         * What the registration channel presents to the relay host (nothing by default), for a host whose policy admits
         * registrations by attributes (e.g. {@code HopsealNode.memberCredentials(entity)}).
         */
        Builder credentials(CredentialSource source);

        /** The address of the relay host's secure-channel listener ({@code secure} by default). */
        Builder listener(String address);

        /** Runs after every registration (the first and each one after a loss), on the relay's own thread. */
        Builder onRegistered(Consumer<Relay> listener);

        /** Starts registering, in the background: {@link Relay#awaitRegistered} waits for the first registration. */
        Relay start() throws HopsealException;
    }
}
