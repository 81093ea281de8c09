package org.hopseal.core.node;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;
import org.hopseal.api.error.RoutingException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.RoutingError;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;

/**
 * The {@link Context} of a worker or of a detached context (such as the app's). A detached context owns a mailbox
 * that {@code receive} reads; a worker's mailbox is read by its own thread, so a worker cannot {@code receive}.
 */
public final class NodeContext implements Context, AutoCloseable {
    private final Node node;
    private final Address address;
    private final Mailbox mailbox;
    /** Whether this is the node's own context ({@link Node#context()}), the only one that may stop the node. */
    private final boolean ownsNode;

    NodeContext(Node node, Address address, Mailbox mailbox, boolean ownsNode) {
        this.node = node;
        this.address = address;
        this.mailbox = mailbox;
        this.ownsNode = ownsNode;
    }

    /** The node this context belongs to. */
    public Node node() {
        return node;
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public <M> void startWorker(String address, Worker<M> worker) throws HopsealException {
        startWorker(Address.of(address), worker);
    }

    @Override
    public <M> void startWorker(Address address, Worker<M> worker) throws HopsealException {
        startWorker(address, WorkerTypes.messageType(worker), worker, Exposure.none(), AccessControl.allowAll());
    }

    @Override
    public <M> void startWorker(String address, Worker<M> worker, Exposure exposure) throws HopsealException {
        startWorker(Address.of(address), WorkerTypes.messageType(worker), worker, exposure, AccessControl.allowAll());
    }

    @Override
    public <M> void startWorker(String address, Class<M> type, Worker<M> worker) throws HopsealException {
        startWorker(Address.of(address), type, worker, Exposure.none(), AccessControl.allowAll());
    }

    @Override
    public <M> void startWorker(Address address, Class<M> type, Worker<M> worker, Exposure exposure,
            AccessControl accessControl) throws HopsealException {
        node.startWorker(address, type, worker, WorkerOptions.service(exposure, accessControl));
    }

    @Override
    public void stopWorker(Address address) throws HopsealException {
        node.stopWorker(address);
    }

    @Override
    public void send(Route route, Object body) throws HopsealException {
        send(route, Route.of(address), body);
    }

    @Override
    public void send(Route route, Route returnRoute, Object body) throws HopsealException {
        Objects.requireNonNull(body, "body");
        byte[] payload = node.codecs().encode(body);
        node.route(new LocalMessage(TransportMessage.wrap(route, returnRoute, payload)));
    }

    @Override
    public void forward(LocalMessage message) throws HopsealException {
        if (!node.isIssued(message.origin())) {
            throw new RoutingException(ErrorKind.INVALID, "a message is forwarded only under the origin the runtime gave it"
                    + " (this one was made up, or its connection or channel has closed)");
        }
        node.route(message);
    }

    @Override
    public <T> Routed<T> receiveRouted(Class<T> type, Duration timeout) throws HopsealException {
        if (mailbox == null) {
            throw new IllegalStateException("worker " + address + " receives through handleMessage, not receive()");
        }
        LocalMessage message;
        try {
            message = mailbox.poll(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoutingException(ErrorKind.SHUTDOWN, "interrupted while receiving at " + address);
        }
        if (message == null) {
            throw new HopsealTimeoutException("receive at " + address, timeout);
        }
        if (message == Mailbox.CLOSED) {
            mailbox.keepClosed();
            throw new RoutingException(ErrorKind.SHUTDOWN, "the context " + address + " is closed (its node stopped)");
        }
        ByteBuffer payload = Payloads.view(message.transportMessage());
        if (!message.origin().isLocal() && RoutingError.isRoutingError(payload)) {
            // Unauthenticated: it may end this wait early, never stand for a reply.
            throw RoutingError.decode(Payloads.of(message.transportMessage())).toException(message.origin());
        }
        @SuppressWarnings("unchecked")
        T body = type == LocalMessage.class ? (T) message : node.codecs().decode(type, payload);
        return new Routed<>(body, message);
    }

    @Override
    public Context newContext(Address address) throws HopsealException {
        return node.newContext(address, Exposure.none());
    }

    @Override
    public Context newContext(Address address, Exposure exposure) throws HopsealException {
        return node.newContext(address, exposure);
    }

    @Override
    public MessageCodecs codecs() {
        return node.codecs();
    }

    @Override
    public void stop() {
        if (!ownsNode) {
            throw new IllegalStateException("only the node's own context (the one Node.run gives, or Node.context()) stops the node;"
                    + " a worker stops itself with stopWorker(address())");
        }
        node.stop();
    }

    /** Unregisters a detached context; messages to its address are then unknown-address errors. */
    @Override
    public void close() {
        if (mailbox != null) {
            node.unregister(address);
        }
    }

    @Override
    public String toString() {
        return "Context{" + address + "}";
    }
}
