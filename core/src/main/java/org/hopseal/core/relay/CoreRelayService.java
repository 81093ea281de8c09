package org.hopseal.core.relay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.relay.RelayService;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.channel.ChannelInfo;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay host's registration service: a worker at {@link Relay#SERVICE} that takes {@link RelayMessage.Register}
 * through channels of its listeners, binds each name to the identity that registered it first, and runs one
 * {@link RelayWorker} per connected name.
 *
 * <p>A registered node is reached by the connection its channel runs over when that connection goes straight to it
 * (so what clients send is not encrypted a second time; their own channel protects it), else through the channel.
 * When that channel closes, the relay stops and its name stays reserved for its identity.
 *
 * <p>Thread safety: thread safe.
 */
final class CoreRelayService implements RelayService {
    private static final Logger LOG = LoggerFactory.getLogger(CoreRelayService.class);
    /** Any permitted peer can make registrations fail: one line per interval. */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.warnings(LOG);

    private final Node node;
    private final TrustPolicy policy;
    private final int maxRelays;
    private final int maxPerIdentity;
    private final ClientConnections clients;
    private final ReentrantLock lock = new ReentrantLock();
    /** Names and who holds them; guarded by {@link #lock}. */
    private final Map<String, Holder> names = new HashMap<>();
    private boolean closed;

    /** Who holds a name, and its current registration (null while its node is not connected). */
    private record Holder(Identifier owner, Registration current) {
    }

    /** One registration: the channel it came by, and the entry its node is reached by. */
    private record Registration(Address channel, Address entry) {
    }

    private CoreRelayService(Node node, TrustPolicy policy, int maxRelays, int maxPerIdentity) {
        this.node = node;
        this.policy = policy;
        this.maxRelays = maxRelays;
        this.maxPerIdentity = maxPerIdentity;
        this.clients = ClientConnections.of(node);
    }

    @Override
    public Set<String> connected() {
        lock.lock();
        try {
            return names.entrySet().stream().filter(e -> e.getValue().current() != null).map(Map.Entry::getKey)
                    .collect(Collectors.toUnmodifiableSet());
        } finally {
            lock.unlock();
        }
    }

    /** Handles one registration and answers it through the channel it came by. */
    private void register(Context ctx, LocalMessage m) throws HopsealException {
        RelayMessage answer;
        try {
            answer = registration(m);
        } catch (DecodeException e) {
            answer = new RelayMessage.Refused("malformed registration: " + e.getMessage());
        } catch (HopsealException e) {
            answer = new RelayMessage.Refused(e.getMessage());
        }
        if (answer instanceof RelayMessage.Refused refused) {
            REFUSALS.warn("relay service refused a registration from {}: {}", LogText.of(m.origin()), LogText.of(refused.reason()));
        }
        ctx.forward(new LocalMessage(TransportMessage.wrap(m.returnRoute(), Route.of(ctx.address()), RelayMessage.encode(answer))));
    }

    private RelayMessage registration(LocalMessage m) throws HopsealException {
        if (!(m.origin() instanceof Origin.Channel channel) || channel.peer().isEmpty()) {
            throw new RoutingException(ErrorKind.UNTRUSTED, "a relay is registered only through an authenticated secure channel");
        }
        if (!(RelayMessage.decode(Payloads.of(m.transportMessage())) instanceof RelayMessage.Register register)) {
            throw new DecodeException("expected a registration");
        }
        String name = register.name();
        if (!Relay.NAME.matcher(name).matches()) {
            throw new RoutingException(ErrorKind.INVALID, "'" + LogText.of(name) + "' is not a relay name");
        }
        SecureChannelRegistry channels = SecureChannelRegistry.of(node);
        ChannelInfo info = channels.get(channel.channel()).orElseThrow(
                () -> new RoutingException(ErrorKind.UNAVAILABLE, "the registration's secure channel closed"));
        PeerIdentity peer = info.peer().orElseThrow();
        if (!policy.check(peer)) {
            throw new RoutingException(ErrorKind.UNTRUSTED, "identity " + peer.identifier() + " may not register relays here");
        }
        Registration registration = new Registration(channel.channel(), entry(channel, info));
        lock.lock();
        try {
            if (closed) {
                throw new RoutingException(ErrorKind.SHUTDOWN, "the relay service has stopped");
            }
            Holder holder = names.get(name);
            if (holder != null && !holder.owner().equals(peer.identifier())) {
                throw new RoutingException(ErrorKind.ALREADY_EXISTS, "relay name " + name + " is registered by another identity");
            }
            if (holder == null) {
                checkRoom(peer.identifier());
            }
            Address address = Relay.address(name);
            if (holder != null && holder.current() != null) {
                node.stopWorker(address, "relay " + name + " registered again");
            }
            node.startWorker(address, LocalMessage.class, new RelayWorker(node, name, registration.entry(), clients),
                    RelayWorker.options(registration.entry()));
            names.put(name, new Holder(peer.identifier(), registration));
            if (holder == null || holder.current() == null) {
                node.metrics().relayRegistered();
            }
        } finally {
            lock.unlock();
        }
        channels.onClose(registration.channel(), () -> disconnected(name, registration));
        LOG.info("relay {} registered by {} through {}", name, peer.identifier(), LogText.of(m.origin()));
        return new RelayMessage.Registered(name);
    }

    /** Refuses a new name when the service, or {@code owner}, holds as many as it may. Under {@link #lock}. */
    private void checkRoom(Identifier owner) throws RoutingException {
        if (names.size() >= maxRelays) {
            throw new RoutingException(ErrorKind.UNAVAILABLE, "this relay host holds " + maxRelays + " names already");
        }
        long owned = names.values().stream().filter(h -> h.owner().equals(owner)).count();
        if (owned >= maxPerIdentity) {
            throw new RoutingException(ErrorKind.UNAVAILABLE, "identity " + owner + " holds " + maxPerIdentity + " names here already");
        }
    }

    /**
     * Where the registering node is reached: the connection its channel runs over, when the channel's route to it is
     * that connection and nothing more; else the channel itself.
     */
    private static Address entry(Origin.Channel channel, ChannelInfo info) {
        if (channel.carrier() instanceof Origin.Transport t && info.remoteRoute().size() == 2
                && info.remoteRoute().next().equals(t.connection())) {
            return t.connection();
        }
        return channel.channel();
    }

    /** The registration's channel closed: its relay stops, unless the name was registered again since. */
    private void disconnected(String name, Registration registration) {
        lock.lock();
        try {
            Holder holder = names.get(name);
            if (holder != null && registration.equals(holder.current())) {
                names.put(name, new Holder(holder.owner(), null));
                node.metrics().relayUnregistered();
                node.stopWorker(Relay.address(name), "relay " + name + " is not connected");
                LOG.info("relay {} is not connected any more", name);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        List<String> all;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(names.keySet());
            names.values().stream().filter(h -> h.current() != null).forEach(h -> node.metrics().relayUnregistered());
            names.clear();
        } finally {
            lock.unlock();
        }
        node.stopWorker(Address.of(Relay.SERVICE), "relay service stopped");
        for (String name : all) {
            node.stopWorker(Relay.address(name), "relay service stopped");
        }
    }

    /** The worker at {@link Relay#SERVICE}. */
    private final class Registrar implements Worker<LocalMessage> {
        @Override
        public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws HopsealException {
            register(ctx, msg.body());
        }
    }

    /** The builder behind {@link org.hopseal.api.node.HopsealNode#relayService}. */
    static final class Builder implements RelayService.Builder {
        private final Node node;
        private String[] listeners = new String[0];
        private TrustPolicy policy = new TrustEveryonePolicy();
        private int maxRelays = DEFAULT_MAX_RELAYS;
        private int maxPerIdentity = DEFAULT_MAX_RELAYS_PER_IDENTITY;

        Builder(Node node) {
            this.node = node;
        }

        @Override
        public RelayService.Builder reachableThrough(String... listeners) {
            for (String l : listeners) {
                Address.of(l);
            }
            this.listeners = listeners.clone();
            return this;
        }

        @Override
        public RelayService.Builder trust(TrustPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        @Override
        public RelayService.Builder maxRelays(int relays) {
            this.maxRelays = positive(relays, "maxRelays");
            return this;
        }

        @Override
        public RelayService.Builder maxRelaysPerIdentity(int relays) {
            this.maxPerIdentity = positive(relays, "maxRelaysPerIdentity");
            return this;
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be positive, was " + n);
            }
            return n;
        }

        @Override
        public RelayService start() throws HopsealException {
            if (listeners.length == 0) {
                throw new RoutingException(ErrorKind.INVALID, "a relay service needs the secure-channel listeners whose channels may"
                        + " register (reachableThrough)");
            }
            CoreRelayService service = new CoreRelayService(node, policy, maxRelays, maxPerIdentity);
            // Registrations come only out of the listeners' channels, whose peers the listeners authenticated.
            node.startWorker(Address.of(Relay.SERVICE), LocalMessage.class, service.new Registrar(),
                    WorkerOptions.service(Exposure.channelsOf(listeners), AccessControl.allowAll()));
            return service;
        }
    }
}
