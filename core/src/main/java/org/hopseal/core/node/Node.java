package org.hopseal.core.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node: it runs workers, one virtual thread and one mailbox each, and routes messages between them and, through
 * registered transports, to other nodes.
 *
 * <pre>{@code
 * Node.run(ctx -> {
 *     ctx.startWorker("echoer", new Echoer());
 *     ctx.send("echoer", "Hello Hopseal!");
 *     System.out.println(ctx.receive(String.class));
 *     ctx.stop();
 * });
 * }</pre>
 *
 * <p>Default deny: every message carries its {@link Origin}, and a message that entered from outside reaches only the
 * addresses whose {@link Exposure} admits it; it goes on to another node only if the node forwards
 * ({@link Builder#forwarding}). Routes from outside are bounded by the hop limit ({@link Route#MAX_LENGTH}). A
 * message from outside that cannot be routed is answered with an error reply ({@link RoutingError}) over the
 * connection or channel it came by.
 *
 * <p>Mailboxes are unbounded for local senders, so ordinary request/reply cannot deadlock; messages from outside
 * share a bounded budget per mailbox, and the writers that face a slower peer have bounded mailboxes (see
 * {@link ServiceThread} for who waits and who is refused). A message to an unknown local address is an error for
 * its sender.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.1
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** How long {@link #stop()} waits for each worker to finish. */
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final RateLimitedLog unroutable = RateLimitedLog.warnings(LOG);
    private final Map<Address, Destination> destinations = new ConcurrentHashMap<>();
    private final Map<Integer, TransportRouter> transports = new ConcurrentHashMap<>();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<Address, String>> transportListeners = new CopyOnWriteArrayList<>();
    private final List<Predicate<Address>> transportUsers = new CopyOnWriteArrayList<>();
    private final MessageCodecs codecs = new MessageCodecs();
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    /** Why recently stopped addresses stopped; bounded, oldest forgotten first. */
    private final Map<Address, String> stoppedReasons = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Address, String> eldest) {
            return size() > 4096;
        }
    };
    private final ReentrantLock tombstones = new ReentrantLock();
    private final ReentrantLock vaultLock = new ReentrantLock();
    private final String vaultSpec;
    private final Forwarding forwarding;
    private final NodeMetrics metrics;
    private final IssuedOrigins issuedOrigins = new IssuedOrigins();
    private Vaults vaults;
    private boolean ownsVaults;
    private volatile boolean stopped;
    private final NodeContext appContext;

    private Node(Builder builder) throws HopsealException {
        this.vaults = builder.vaults;
        this.vaultSpec = builder.vaultSpec;
        this.forwarding = builder.forwarding;
        this.metrics = builder.metrics;
        this.appContext = newContext(Address.local("app"), Exposure.none(), true);
    }

    /** Runs a node program: starts a node, runs {@code body} with the app context, and stops the node after. */
    public static void run(NodeBody body) throws Exception {
        try (Node node = builder().start()) {
            body.run(node.context());
        }
    }

    /** Starts a node with the default (in-memory, created on first use) vault. */
    public static Node start() throws HopsealException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The node of a context created by Hopseal's runtime. */
    public static Node of(Context ctx) {
        if (ctx instanceof NodeContext nc) {
            return nc.node();
        }
        throw new IllegalArgumentException("not a context of a Hopseal node: " + ctx.getClass().getName());
    }

    /** The app context, address {@code app}. */
    public Context context() {
        return appContext;
    }

    public MessageCodecs codecs() {
        return codecs;
    }

    /** Whether and where this node passes messages from outside on to other nodes. */
    public Forwarding forwarding() {
        return forwarding;
    }

    /** The node's meters: no-op unless the node was built with some ({@link Builder#metrics}). */
    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * The node's vaults: those configured, or else an in-memory software vault created on first use (which the log
     * says). A configured spec that cannot be opened is an error, never a fallback.
     */
    public Vaults vaults() throws VaultException {
        vaultLock.lock();
        try {
            if (vaults == null) {
                String spec = vaultSpec == null ? "software" : vaultSpec;
                vaults = Vaults.open(spec);
                ownsVaults = true;
                if (vaultSpec == null) {
                    LOG.info("no vault configured for this node: created an in-memory software vault");
                }
            }
            return vaults;
        } finally {
            vaultLock.unlock();
        }
    }

    /** Registers the router of a transport type (e.g. TCP = 1); the node closes it when it stops. */
    public void registerTransport(int type, TransportRouter router) {
        if (type == Address.LOCAL) {
            throw new IllegalArgumentException("type 0 is the node's own local routing");
        }
        if (transports.putIfAbsent(type, router) != null) {
            throw new IllegalStateException("a transport of type " + type + " is registered already");
        }
    }

    /**
     * The node's single instance of a service (a transport, a channel registry), created by {@code factory} on
     * first use.
     */
    public <T> T service(Class<T> type, Supplier<T> factory) {
        return type.cast(services.computeIfAbsent(type, t -> factory.get()));
    }

    /**
     * Called when a transport address stops working (a TCP connection closed): everything registered with
     * {@link #onTransportClosed} hears of it, so that channels running over that connection close instead of
     * lingering half-open.
     */
    public void transportClosed(Address address, String reason) {
        for (BiConsumer<Address, String> l : transportListeners) {
            try {
                l.accept(address, reason);
            } catch (RuntimeException e) {
                LOG.warn("a transport-closed listener failed: {}", e.toString());
            }
        }
    }

    /** Registers a listener for {@link #transportClosed}. */
    public void onTransportClosed(BiConsumer<Address, String> listener) {
        transportListeners.add(listener);
    }

    /**
     * Registers a test of whether something of this node (an open secure channel) runs over a transport address;
     * transports keep such connections open while they are quiet.
     */
    public void onTransportUse(Predicate<Address> inUse) {
        transportUsers.add(inUse);
    }

    /** Whether something registered with {@link #onTransportUse} runs over {@code address}. */
    public boolean isTransportInUse(Address address) {
        for (Predicate<Address> user : transportUsers) {
            if (user.test(address)) {
                return true;
            }
        }
        return false;
    }

    /** Registers something to close when the node stops (in reverse order of registration). */
    public void closeOnStop(AutoCloseable resource) {
        resources.add(resource);
    }

    public boolean isRunning() {
        return !stopped;
    }

    /** The number of addresses registered (workers and detached contexts). */
    public int registeredAddressCount() {
        return destinations.size();
    }

    /** Whether the worker at {@code address} has a thread right now (a worker on its senders' threads, only while busy). */
    boolean hasWorkerThread(Address address) {
        return destinations.get(address) instanceof WorkerCell<?> cell && cell.hasThread();
    }

    /** Whether a worker or context is registered at {@code address}. */
    public boolean isRegistered(Address address) {
        return destinations.containsKey(address);
    }

    /** Starts a worker as {@code options} say (for the runtime's own workers: channel ends, listeners). */
    public <M> void startWorker(Address address, Class<M> type, Worker<M> worker, WorkerOptions options) throws HopsealException {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(type, "type");
        checkRunning();
        requireLocal(address);
        WorkerCell<M> cell = new WorkerCell<>(address, worker, type, options, new NodeContext(this, address, null, false));
        if (destinations.putIfAbsent(address, cell) != null) {
            throw new RoutingException(ErrorKind.ALREADY_EXISTS, "address " + address + " is in use already");
        }
        Throwable failure;
        try {
            failure = cell.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destinations.remove(address, cell);
            throw new RoutingException(ErrorKind.SHUTDOWN, "interrupted while starting worker " + address);
        }
        if (failure != null) {
            destinations.remove(address, cell);
            if (failure instanceof HopsealException he) {
                throw he;
            }
            throw new RoutingException(ErrorKind.INTERNAL, "worker " + address + " failed to initialize: " + failure, failure);
        }
    }

    void stopWorker(Address address) throws HopsealException {
        Destination d = destinations.remove(address);
        if (d == null) {
            throw new RoutingException(ErrorKind.NOT_FOUND, "no worker at " + address);
        }
        d.close();
    }

    /**
     * Stops the worker at {@code address} and remembers why, so that a later message to it fails with that reason
     * (for example "secure channel closed: connection lost") instead of a bare unknown address.
     */
    public void stopWorker(Address address, String reason) {
        tombstones.lock();
        try {
            stoppedReasons.put(address, reason);
        } finally {
            tombstones.unlock();
        }
        Destination d = destinations.remove(address);
        if (d != null) {
            d.close();
        }
    }

    private String stoppedReason(Address address) {
        tombstones.lock();
        try {
            String reason = stoppedReasons.get(address);
            return reason == null ? "" : " (" + reason + ")";
        } finally {
            tombstones.unlock();
        }
    }

    NodeContext newContext(Address address, Exposure exposure) throws HopsealException {
        return newContext(address, exposure, false);
    }

    private NodeContext newContext(Address address, Exposure exposure, boolean ownsNode) throws HopsealException {
        checkRunning();
        requireLocal(address);
        Mailbox mailbox = new Mailbox(Integer.MAX_VALUE);
        MailboxDestination d = new MailboxDestination(address, mailbox, exposure);
        if (destinations.putIfAbsent(address, d) != null) {
            throw new RoutingException(ErrorKind.ALREADY_EXISTS, "address " + address + " is in use already");
        }
        return new NodeContext(this, address, mailbox, ownsNode);
    }

    void unregister(Address address) {
        Destination d = destinations.remove(address);
        if (d != null) {
            d.close();
        }
    }

    /**
     * Delivers by the next address of the onward route: locally for type 0 if the address's exposure admits the
     * message's origin, else to that type's transport if the message is local or the node forwards.
     */
    void route(LocalMessage message) throws HopsealException {
        checkRunning();
        Route onward = message.onwardRoute();
        if (onward.isEmpty()) {
            throw new RoutingException(ErrorKind.INVALID, "cannot route a message with an empty onward route");
        }
        Address next = onward.next();
        Origin origin = message.origin();
        if (next.isLocal()) {
            Destination d = destinations.get(next);
            if (d == null || !origin.isLocal() && !d.admits(origin)) {
                throw unreachable(next, origin);
            }
            d.deliver(message);
            return;
        }
        transportFor(message).route(message);
    }

    /**
     * Routes {@code messages} in order, as {@link #route} does each; when they all leave by the same transport
     * address from the same origin (the frames of one large message), the transport may send them in one write.
     */
    public void routeTogether(List<LocalMessage> messages) throws HopsealException {
        LocalMessage first = messages.get(0);
        if (messages.size() == 1 || first.onwardRoute().isEmpty() || first.onwardRoute().next().isLocal()) {
            for (LocalMessage message : messages) {
                route(message);
            }
            return;
        }
        checkRunning();
        Address next = first.onwardRoute().next();
        TransportRouter transport = null;
        for (LocalMessage message : messages) {
            if (message.onwardRoute().isEmpty() || !message.onwardRoute().next().equals(next)
                    || !message.origin().equals(first.origin())) {
                throw new IllegalArgumentException("messages routed together must leave by one address from one origin");
            }
            transport = transportFor(message);
        }
        transport.routeTogether(messages);
    }

    /**
     * The transport that carries {@code message}, whose next address is not local, if this node may send it there: a
     * message from outside only if the node forwards and the hop limit is not reached.
     */
    private TransportRouter transportFor(LocalMessage message) throws RoutingException {
        Address next = message.onwardRoute().next();
        TransportRouter transport = transports.get(next.type());
        if (transport == null) {
            throw new RoutingException(ErrorKind.UNSUPPORTED, "no transport registered for address type " + next.type()
                    + " (" + next + "); start it first, e.g. HopsealNode.tcp()");
        }
        if (!message.origin().isLocal()) {
            if (!forwarding.enabled()) {
                throw new RoutingException(ErrorKind.UNTRUSTED, "this node does not forward messages from outside to other nodes");
            }
            if (message.returnRoute().size() >= Route.MAX_LENGTH) {
                throw new RoutingException(ErrorKind.INVALID, "hop limit of " + Route.MAX_LENGTH + " reached");
            }
        }
        return transport;
    }

    /**
     * Routes a message of this node's code without ever opening a connection: to a local address as {@link #route}
     * does, and over a transport only by a connection that is open now ({@code UNAVAILABLE} if it is gone), waiting
     * for room there rather than dropping ({@link TransportRouter#routeOverOpenConnection}). For code that passes on
     * what peers send (a relay), so that they cannot make the node dial anywhere.
     */
    public void routeWithoutConnecting(LocalMessage message) throws HopsealException {
        checkRunning();
        Address next = message.onwardRoute().next();
        if (next.isLocal()) {
            route(message);
            return;
        }
        TransportRouter transport = transports.get(next.type());
        if (transport == null) {
            throw new RoutingException(ErrorKind.UNAVAILABLE, "no connection " + LogText.of(next) + " is open");
        }
        transport.routeOverOpenConnection(message);
    }

    /**
     * The error for a local address that is unknown (local code is admitted everywhere), or does not admit
     * {@code origin}. Outside senders get one answer for both, so that probing tells them nothing about what runs
     * here, nor why an address stopped.
     */
    private RoutingException unreachable(Address next, Origin origin) {
        if (origin.isLocal()) {
            return new RoutingException(ErrorKind.NOT_FOUND, "no worker at address " + next + stoppedReason(next));
        }
        return new RoutingException(ErrorKind.NOT_FOUND, "no worker at address " + next + " is reachable from outside this way");
    }

    /**
     * Gives out {@code origin} for the messages of one connection or channel end: workers may forward messages under
     * it until it is {@linkplain #retire retired} (when the connection or channel closes).
     */
    public <O extends Origin> O issue(O origin) {
        return issuedOrigins.issue(origin);
    }

    /** Retires an origin given out by {@link #issue}: its connection or channel has closed. */
    public void retire(Origin origin) {
        issuedOrigins.retire(origin);
    }

    /** Whether a worker may forward a message under {@code origin}: local, or issued and not retired. */
    boolean isIssued(Origin origin) {
        return issuedOrigins.isIssued(origin);
    }

    /**
     * Routes a message that entered from outside (read from a connection, or decrypted by a channel). If it cannot
     * be routed, says so in a rate-limited log line and answers with an error reply over the connection or channel
     * it came by (never to anywhere else, never by opening a connection, never to an error reply). Returns whether
     * the message was routed.
     */
    public boolean routeFromOutside(LocalMessage message) {
        try {
            route(message);
            return true;
        } catch (HopsealException e) {
            unroutable.warn("could not route a message from {}: {}", LogText.of(message.origin()), LogText.of(e.getMessage()));
            replyWithError(message, e);
            return false;
        }
    }

    /**
     * Answers a message from outside with an error reply ({@link RoutingError}) over the connection or channel it came
     * by, if its return route starts there; never to anywhere else, never by opening a connection, never to an error
     * reply.
     */
    public void replyWithError(LocalMessage message, HopsealException cause) {
        Route back = message.returnRoute();
        if (back.isEmpty() || RoutingError.isRoutingError(Payloads.view(message.transportMessage())) || message.origin().entry().filter(back.next()::equals).isEmpty()) {
            return;
        }
        LocalMessage reply = new LocalMessage(TransportMessage.wrap(back, Route.empty(),
                new RoutingError(cause.kind(), cause.getMessage()).encode()));
        try {
            if (back.next().isLocal()) {
                route(reply);
            } else {
                TransportRouter transport = transports.get(back.next().type());
                if (transport != null) {
                    transport.reply(reply);
                }
            }
        } catch (HopsealException e) {
            LOG.debug("could not send an error reply to {}: {}", LogText.of(back), LogText.of(e.getMessage()));
        }
    }

    private void checkRunning() throws RoutingException {
        if (stopped) {
            throw new RoutingException(ErrorKind.SHUTDOWN, "the node has stopped");
        }
    }

    private static void requireLocal(Address address) {
        if (!address.isLocal()) {
            throw new IllegalArgumentException("workers live at local addresses, not " + address);
        }
    }

    /** Stops every worker (each runs its {@code shutdown}), closes transports and the vaults the node opened. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<Destination> all = new ArrayList<>(destinations.values());
        destinations.clear();
        for (TransportRouter t : transports.values()) {
            closeQuietly(t);
        }
        transports.clear();
        all.forEach(Destination::close);
        for (Destination d : all) {
            if (d instanceof WorkerCell<?> cell) {
                try {
                    cell.awaitFinished(STOP_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<AutoCloseable> toClose = new ArrayList<>(resources);
        Collections.reverse(toClose);
        toClose.forEach(Node::closeQuietly);
        vaultLock.lock();
        try {
            if (ownsVaults && vaults != null) {
                vaults.close();
            }
        } finally {
            vaultLock.unlock();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("failed to close {}: {}", c, e.toString());
        }
    }

    /** Builds a node. */
    public static final class Builder {
        private Vaults vaults;
        private String vaultSpec;
        private Forwarding forwarding = Forwarding.none();
        private NodeMetrics metrics = NodeMetrics.none();

        private Builder() {
        }

        /** Uses these vaults for entities created on this node; the caller closes them. */
        public Builder vaults(Vaults vaults) {
            this.vaults = Objects.requireNonNull(vaults);
            return this;
        }

        /** Opens the vault named by {@code spec} on first use ({@code software}, {@code file:PATH}, {@code pkcs11:...}). */
        public Builder vault(String spec) {
            this.vaultSpec = Objects.requireNonNull(spec);
            return this;
        }

        /** Whether the node passes messages from outside on to other nodes; {@link Forwarding#none()} by default. */
        public Builder forwarding(Forwarding forwarding) {
            this.forwarding = Objects.requireNonNull(forwarding);
            return this;
        }

        /** Counts the node's events into {@code metrics}; {@link NodeMetrics#none()} by default. */
        public Builder metrics(NodeMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        public Node start() throws HopsealException {
            return new Node(this);
        }
    }

    /**
     * A detached context: the application's own code. Besides what its exposure admits, it takes messages from every
     * channel that code of this node opened (an initiator's channel, whose peer its trust policy accepted), so that
     * one entity's channels serve all of the application's contexts; never raw transport messages, never messages
     * from channels that a listener accepted unless exposed to it.
     */
    private record MailboxDestination(Address address, Mailbox mailbox, Exposure exposure) implements Destination {
        @Override
        public boolean admits(Origin origin) {
            return exposure.admits(origin, address) || origin instanceof Origin.Channel c && c.opener().isPresent();
        }

        @Override
        public void deliver(LocalMessage message) throws HopsealException {
            mailbox.put(message, address);
        }

        @Override
        public void close() {
            mailbox.close();
        }
    }
}
