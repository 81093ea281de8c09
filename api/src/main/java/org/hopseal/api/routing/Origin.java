package org.hopseal.api.routing;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hopseal.api.identity.Identifier;

/**
 * Where a message entered this node. The runtime sets it when a message is read from a transport or leaves a secure
 * channel; nothing a sender writes into a message can change it, and it never crosses the wire. Access decisions
 * ({@link org.hopseal.api.worker.Exposure}) are made on it.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.2
 */
public sealed interface Origin permits Origin.Local, Origin.Transport, Origin.Channel {
    /** Sent by code running in this node. */
    Local LOCAL = new Local();

    /**
     * {@return the address through which the message reached this node: a connection or a channel end; empty if
     * local} Routing a reply to it goes back the way the message came.
     */
    Optional<Address> entry();

    /**
     * {@return the identifier that the secure channel this message came out of authenticated; empty for a message
     * that did not come out of a channel, or out of a plain (unauthenticated) one}
     */
    default Optional<Identifier> peerIdentifier() {
        return this instanceof Channel channel ? channel.peer() : Optional.empty();
    }

    /**
     * {@return the attributes that trusted authorities vouched for the channel's peer (see
     * {@link org.hopseal.api.identity.PeerIdentity#attributes()}); empty unless the message came out of a channel whose
     * peer presented valid credentials}
     */
    default Map<String, String> peerAttributes() {
        return this instanceof Channel channel ? channel.attributes() : Map.of();
    }

    /** {@return whether code of this node sent the message (this is {@link #LOCAL})} */
    default boolean isLocal() {
        return this instanceof Local;
    }

    /**
     * {@return whether the message never crossed the node's boundary: sent by its code, or carried by channels whose
     * frames (and their carriers' frames, for a channel inside a channel) all came from its code}
     */
    default boolean isWithinNode() {
        return switch (this) {
            case Local local -> true;
            case Transport transport -> false;
            case Channel channel -> channel.carrier().isWithinNode();
        };
    }

    /** Sent by code running in this node. */
    record Local() implements Origin {
        @Override
        public Optional<Address> entry() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "local";
        }
    }

    /**
     * Read from a transport connection.
     *
     * @param connection the connection's address, which routes back over it (e.g. {@code 1#10.0.0.7:51234})
     * @param inbound whether this node accepted the connection (rather than dialed it)
     */
    record Transport(Address connection, boolean inbound) implements Origin {
        /**
         * Checks that {@code connection} is present.
         *
         * @throws NullPointerException if {@code connection} is {@code null}
         */
        public Transport {
            Objects.requireNonNull(connection, "connection");
        }

        @Override
        public Optional<Address> entry() {
            return Optional.of(connection);
        }

        @Override
        public String toString() {
            return (inbound ? "inbound " : "outbound ") + "connection " + connection;
        }
    }

    /**
     * Decrypted by a secure channel end of this node.
     *
     * @param channel the address of the channel end (its encryptor), which routes back through the channel
     * @param listener the listener that accepted the channel; empty for a channel this node initiated
     * @param opener the address whose code opened the channel; empty for an accepted channel
     * @param peer the identifier the handshake authenticated, if the channel is authenticated
     * @param carrier where the channel's own frames entered this node ({@link #LOCAL} when both ends are here)
     * @param attributes what trusted authorities vouched for the peer, as the channel end knew when the message left it
     */
    record Channel(Address channel, Optional<Address> listener, Optional<Address> opener, Optional<Identifier> peer,
            Origin carrier, Map<String, String> attributes) implements Origin {
        /**
         * A channel whose peer has no attributes.
         *
         * @param channel the address of the channel end (its encryptor)
         * @param listener the listener that accepted the channel; empty for a channel this node initiated
         * @param opener the address whose code opened the channel; empty for an accepted channel
         * @param peer the identifier the handshake authenticated, if the channel is authenticated
         * @param carrier where the channel's own frames entered this node
         */
        public Channel(Address channel, Optional<Address> listener, Optional<Address> opener, Optional<Identifier> peer,
                Origin carrier) {
            this(channel, listener, opener, peer, carrier, Map.of());
        }

        /**
         * Checks the components and copies {@code attributes}.
         *
         * @throws NullPointerException if a component, or a key or value of {@code attributes}, is {@code null}
         * @throws IllegalArgumentException if there are attributes but no authenticated {@code peer}
         */
        public Channel {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(opener, "opener");
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(carrier, "carrier");
            attributes = Map.copyOf(attributes);
            if (!attributes.isEmpty() && peer.isEmpty()) {
                throw new IllegalArgumentException("attributes need an authenticated peer");
            }
        }

        @Override
        public Optional<Address> entry() {
            return Optional.of(channel);
        }

        @Override
        public String toString() {
            return "secure channel " + channel + peer.map(p -> " from " + p).orElse("");
        }
    }
}
