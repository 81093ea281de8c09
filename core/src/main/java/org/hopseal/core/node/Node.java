package org.hopseal.core.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Worker;
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
 * <p>Local mailboxes are unbounded, so ordinary request/reply cannot deadlock and no message is ever dropped; where
 * a producer can outrun a consumer across a transport or a channel, the writer in between has a bounded mailbox and
 * its senders block (see {@link NodeContext#startBoundedWorker}). A message to an unknown local address is an error
 * for its sender and a log line.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.1
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** How long {@link #stop()} waits for each worker to finish. */
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final Map<Address, Destination> destinations = new ConcurrentHashMap<>();
    private final Map<Integer, TransportRouter> transports = new ConcurrentHashMap<>();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<Address, String>> transportListeners = new CopyOnWriteArrayList<>();
    private final MessageCodecs codecs = new MessageCodecs();
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    /** Why recently stopped addresses stopped; bounded, oldest forgotten first. */
    private final Map<Address, String> stoppedReasons = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Address, String> eldest) {
            return size() > 4096;
        }
    };
    private final ReentrantLock tombstones = new ReentrantLock();
    private final ReentrantLock vaultLock = new ReentrantLock();
    private final String vaultSpec;
    private Vaults vaults;
    private boolean ownsVaults;
    private volatile boolean stopped;
    private final NodeContext appContext;

    private Node(Builder builder) throws HopsealException {
        this.vaults = builder.vaults;
        this.vaultSpec = builder.vaultSpec;
        this.appContext = newContext(Address.local("app"));
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
    public <T> T service(Class<T> type, java.util.function.Supplier<T> factory) {
        return type.cast(services.computeIfAbsent(type, t -> factory.get()));
    }

    /**
     * Called when a transport address stops working (a TCP connection closed): everything registered with
     * {@link #onTransportClosed} hears of it, so that channels running over that connection close instead of
     * lingering half-open.
     */
    public void transportClosed(Address address, String reason) {
        for (java.util.function.BiConsumer<Address, String> l : transportListeners) {
            try {
                l.accept(address, reason);
            } catch (RuntimeException e) {
                LOG.warn("a transport-closed listener failed: {}", e.toString());
            }
        }
    }

    /** Registers a listener for {@link #transportClosed}. */
    public void onTransportClosed(java.util.function.BiConsumer<Address, String> listener) {
        transportListeners.add(listener);
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

    /** Whether a worker or context is registered at {@code address}. */
    public boolean isRegistered(Address address) {
        return destinations.containsKey(address);
    }

    <M> void startWorker(Address address, Class<M> type, Worker<M> worker, AccessControl accessControl, int capacity)
            throws HopsealException {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(type, "type");
        checkRunning();
        requireLocal(address);
        WorkerCell<M> cell = new WorkerCell<>(address, worker, type, accessControl, new NodeContext(this, address, null), capacity);
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

    NodeContext newContext(Address address) throws HopsealException {
        checkRunning();
        requireLocal(address);
        Mailbox mailbox = new Mailbox(Integer.MAX_VALUE);
        MailboxDestination d = new MailboxDestination(mailbox);
        if (destinations.putIfAbsent(address, d) != null) {
            throw new RoutingException(ErrorKind.ALREADY_EXISTS, "address " + address + " is in use already");
        }
        return new NodeContext(this, address, mailbox);
    }

    void unregister(Address address) {
        Destination d = destinations.remove(address);
        if (d != null) {
            d.close();
        }
    }

    /** Delivers by the next address of the onward route: locally for type 0, else to that type's transport. */
    void route(LocalMessage message) throws HopsealException {
        checkRunning();
        Route onward = message.onwardRoute();
        if (onward.isEmpty()) {
            throw new RoutingException(ErrorKind.INVALID, "cannot route a message with an empty onward route");
        }
        Address next = onward.next();
        if (next.isLocal()) {
            Destination d = destinations.get(next);
            if (d == null) {
                String why = stoppedReason(next);
                LOG.warn("no worker at address {}{} (message from {})", next, why, message.returnRoute());
                throw new RoutingException(ErrorKind.NOT_FOUND, "no worker at address " + next + why);
            }
            d.deliver(message);
            return;
        }
        TransportRouter transport = transports.get(next.type());
        if (transport == null) {
            throw new RoutingException(ErrorKind.UNSUPPORTED, "no transport registered for address type " + next.type()
                    + " (" + next + "); create one, e.g. TcpTransport.create(ctx)");
        }
        transport.route(message);
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
        java.util.Collections.reverse(toClose);
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

        public Node start() throws HopsealException {
            return new Node(this);
        }
    }

    private record MailboxDestination(Mailbox mailbox) implements Destination {
        @Override
        public void deliver(LocalMessage message) throws HopsealException {
            mailbox.put(message);
        }

        @Override
        public void close() {
            mailbox.close();
        }
    }
}
