package org.hopseal.core.relay;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Backoff;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.NodeContext;
import org.hopseal.core.transport.tcp.TcpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay: a keeper thread that connects to the relay host, opens a carrier channel to its listener (so that the
 * host reaches only this node's listeners), registers the name, and does all of it again, backing off as
 * {@link #RETRY} says, whenever the channel closes: the connection dropped, the host
 * restarted, or its channel went silent for {@link Relay#LIVENESS_TIMEOUT}.
 *
 * <p>Thread safety: thread safe.
 */
final class CoreRelay implements Relay {
    /** How long to wait before registering again after a failure: up to 2 s, so a restarted host is found soon. */
    static final Backoff RETRY = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
    /** How long a registration may take, the handshake included. */
    static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);
    private static final Logger LOG = LoggerFactory.getLogger(CoreRelay.class);
    /** A host that is down fails every retry: one line per interval for all relays of the JVM. */
    private static final RateLimitedLog FAILURES = RateLimitedLog.warnings(LOG);

    private final Node node;
    private final CoreEntity entity;
    private final String name;
    private final String relayHost;
    private final Route listener;
    private final SecureChannelOptions options;
    private final Consumer<Relay> onRegistered;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The current registration's channel; null while not registered. Guarded by {@link #lock}. */
    private Address channel;
    private Identifier relayIdentifier;
    private boolean closed;

    private CoreRelay(Node node, CoreEntity entity, String name, String relayHost, String listener, TrustPolicy trust,
            Consumer<Relay> onRegistered) {
        this.node = node;
        this.entity = entity;
        this.name = name;
        this.relayHost = relayHost;
        this.listener = Route.of(Address.tcp(relayHost), Address.of(listener));
        this.options = SecureChannelOptions.defaults().withTrustPolicy(trust).withHandshakeTimeout(REGISTER_TIMEOUT)
                .withIdleTimeout(LIVENESS_TIMEOUT);
        this.onRegistered = onRegistered;
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
        lock.lock();
        try {
            return channel != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Identifier> relayIdentifier() {
        lock.lock();
        try {
            return Optional.ofNullable(channel == null ? null : relayIdentifier);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitRegistered(Duration timeout) throws HopsealException {
        if (!await(() -> channel != null, timeout)) {
            throw new RoutingException(ErrorKind.SHUTDOWN, "relay " + name + " at " + relayHost + " is closed");
        }
        if (!isRegistered()) {
            throw new HopsealTimeoutException("registering relay " + name + " at " + relayHost, timeout);
        }
    }

    /** The keeper: registers whenever the relay is not registered, until it is closed. */
    private void keep() {
        Duration retry = RETRY.first();
        while (await(() -> channel == null, FOREVER)) {
            try {
                register();
                retry = RETRY.first();
            } catch (HopsealException e) {
                if (e.kind() == ErrorKind.SHUTDOWN || !node.isRunning()) {
                    return;
                }
                FAILURES.warn("relay {}: cannot register at {} ({}); trying again in {} ms", name, relayHost, LogText.of(e.getMessage()),
                        retry.toMillis());
                if (!await(() -> false, retry)) {
                    return;
                }
                retry = RETRY.next(retry);
            }
        }
    }

    /** Opens a carrier channel to the relay host and registers the name through it. */
    private void register() throws HopsealException {
        ChannelInfo opened = entity.createCarrierChannel(listener, options);
        Address encryptor = opened.encryptor();
        try {
            answer(encryptor);
        } catch (HopsealException | RuntimeException e) {
            node.stopWorker(encryptor, "relay registration failed");
            throw e;
        }
        lock.lock();
        try {
            if (closed) {
                node.stopWorker(encryptor, "relay closed");
                return;
            }
            channel = encryptor;
            relayIdentifier = opened.peer().map(PeerIdentity::identifier).orElse(null);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        SecureChannelRegistry.of(node).onClose(encryptor, () -> lost(encryptor));
        LOG.info("relay {} registered at {} ({})", name, relayHost, relayIdentifier().map(Object::toString).orElse("-"));
        onRegistered.accept(this);
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

    private void lost(Address encryptor) {
        lock.lock();
        try {
            if (encryptor.equals(channel)) {
                channel = null;
                changed.signalAll();
                if (!closed) {
                    LOG.info("relay {}: the channel to {} closed; registering again", name, relayHost);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code done} holds (checked under {@link #lock}), the relay closes, or {@code timeout} passes;
     * whether the relay is still open.
     */
    private boolean await(BooleanSupplier done, Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (!done.getAsBoolean() && !closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Address open;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            open = channel;
            channel = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (open != null) {
            node.stopWorker(open, "relay closed");
        }
    }

    @Override
    public String toString() {
        return "relay " + name + " at " + relayHost;
    }

    /** The builder behind {@link org.hopseal.api.node.HopsealNode#relay}. */
    static final class Builder implements Relay.Builder {
        private final Node node;
        private final String name;
        private final String relayHost;
        private CoreEntity entity;
        private TrustPolicy trust = new TrustEveryonePolicy();
        private String listener = "secure";
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
            CoreRelay relay = new CoreRelay(node, entity, name, relayHost, listener, trust, onRegistered);
            node.closeOnStop(relay);
            Thread.ofVirtual().name("hopseal-relay-" + name).start(relay::keep);
            return relay;
        }
    }
}
