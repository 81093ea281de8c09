package org.hopseal.core.relay;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.channel.KeptChannel;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.node.Backoff;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.NodeContext;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay: a {@link KeptChannel} to the relay host, opened as a carrier channel to its listener (so that the host
 * reaches only this node's listeners) and registering the name through it; the keeper does it all again, backing off
 * as {@link #RETRY} says, whenever the channel closes: the connection dropped, the host restarted, or its channel went
 * silent for {@link Relay#LIVENESS_TIMEOUT}.
 *
 * <p>Thread safety: thread safe.
 */
final class CoreRelay implements Relay {
    /** How long to wait before registering again after a failure: up to 2 s, so a restarted host is found soon. */
    static final Backoff RETRY = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
    /** How long a registration may take, the handshake included. */
    static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(CoreRelay.class);

    private final Node node;
    private final CoreEntity entity;
    private final String name;
    private final String relayHost;
    private final Route listener;
    private final SecureChannelOptions options;
    private final KeptChannel channel;

    private CoreRelay(Node node, CoreEntity entity, String name, String relayHost, String listener, TrustPolicy trust,
            CredentialSource credentials, Consumer<Relay> onRegistered) {
        this.node = node;
        this.entity = entity;
        this.name = name;
        this.relayHost = relayHost;
        this.listener = Route.of(Address.tcp(relayHost), Address.of(listener));
        this.options = SecureChannelOptions.defaults().withTrustPolicy(trust).withHandshakeTimeout(REGISTER_TIMEOUT)
                .withIdleTimeout(LIVENESS_TIMEOUT).withCredentials(credentials);
        this.channel = new KeptChannel(node, "relay " + name + " at " + relayHost, this::register, RETRY, () -> {
            LOG.info("relay {} registered at {} ({})", name, relayHost, relayIdentifier().map(Object::toString).orElse("-"));
            onRegistered.accept(this);
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String relayHost() {
        return relayHost;
    }

    @Override
    public boolean isRegistered() {
        return channel.channel().isPresent();
    }

    @Override
    public Optional<Identifier> relayIdentifier() {
        return channel.peer();
    }

    @Override
    public void awaitRegistered(Duration timeout) throws HopsealException {
        if (channel.awaitChannel(timeout).isPresent()) {
            return;
        }
        if (channel.isClosed()) {
            throw new RoutingException(ErrorKind.SHUTDOWN, "relay " + name + " at " + relayHost + " is closed");
        }
        throw new HopsealTimeoutException("registering relay " + name + " at " + relayHost, timeout);
    }

    /** Opens a carrier channel to the relay host and registers the name through it; returns the channel. */
    private Address register() throws HopsealException {
        Address encryptor = entity.createCarrierChannel(listener, options).encryptor();
        try {
            answer(encryptor);
            return encryptor;
        } catch (HopsealException | RuntimeException e) {
            node.stopWorker(encryptor, "relay registration failed");
            throw e;
        }
    }

    /** Sends the registration through {@code encryptor} and waits for the relay host's answer. */
    private void answer(Address encryptor) throws HopsealException {
        try (NodeContext answers = (NodeContext) node.context().newContext(Address.random(), Exposure.through(encryptor))) {
            answers.forward(new LocalMessage(TransportMessage.wrap(Route.of(encryptor, Address.of(SERVICE)), Route.of(answers.address()),
                    RelayMessage.encode(new RelayMessage.Register(name)))));
            LocalMessage reply = answers.receiveRouted(LocalMessage.class, REGISTER_TIMEOUT).body();
            switch (RelayMessage.decode(Payloads.of(reply.transportMessage()))) {
                case RelayMessage.Registered r when r.name().equals(name) -> { }
                case RelayMessage.Refused r -> throw new RoutingException(ErrorKind.UNTRUSTED, "the relay host refused: " + r.reason());
                default -> throw new DecodeException("the relay host answered with something other than this registration");
            }
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return channel.toString();
    }

    /** The builder behind {@link org.hopseal.api.node.HopsealNode#relay}. */
    static final class Builder implements Relay.Builder {
        private final Node node;
        private final String name;
        private final String relayHost;
        private CoreEntity entity;
        private TrustPolicy trust = new TrustEveryonePolicy();
        private String listener = "secure";
        private CredentialSource credentials = CredentialSource.none();
        private Consumer<Relay> onRegistered = r -> { };

        Builder(Node node, String name, String relayHost) {
            this.node = node;
            this.name = Relay.checkName(name);
            this.relayHost = Objects.requireNonNull(relayHost, "relayHost");
        }

        @Override
        public Relay.Builder entity(Entity entity) {
            if (!(entity instanceof CoreEntity core)) {
                throw new IllegalArgumentException("not an entity of Hopseal's runtime: " + entity);
            }
            this.entity = core;
            return this;
        }

        @Override
        public Relay.Builder trust(TrustPolicy policy) {
            this.trust = Objects.requireNonNull(policy, "policy");
            return this;
        }

        @Override
        public Relay.Builder credentials(CredentialSource source) {
            this.credentials = Objects.requireNonNull(source, "source");
            return this;
        }

        @Override
        public Relay.Builder listener(String address) {
            Address.of(address);
            this.listener = address;
            return this;
        }

        @Override
        public Relay.Builder onRegistered(Consumer<Relay> listener) {
            this.onRegistered = Objects.requireNonNull(listener, "listener");
            return this;
        }

        @Override
        public Relay start() throws HopsealException {
            if (entity == null) {
                throw new RoutingException(ErrorKind.INVALID, "a relay needs the identity it registers for (entity)");
            }
            TcpTransport.parse(relayHost);
            TcpTransport.create(node.context());
            CoreRelay relay = new CoreRelay(node, entity, name, relayHost, listener, trust, credentials, onRegistered);
            node.closeOnStop(relay);
            relay.channel.keep("hopseal-relay-" + name);
            return relay;
        }
    }
}
