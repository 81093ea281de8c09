package org.hopseal.api.worker;

import java.time.Duration;
import org.hopseal.api.codec.MessageCodecs;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;

/**
 * A worker's (or the app's) handle on its node: its address, sending, receiving, and starting other workers.
 *
 * <p>Sending returns once the message is queued for its receiver. Local mailboxes are unbounded for local senders,
 * so ordinary request/reply can never deadlock; where a producer can outrun a consumer across a transport or a
 * secure channel, the channel's encryptor and the connection have bounded room. The application's own threads
 * wait for room (backpressure); a worker that serves many peers is refused at once with {@code UNAVAILABLE} rather
 * than wait for one slow peer.
 *
 * <p>Default deny: a worker is reached only by local code and by the channels it opened, a detached context by local
 * code and by the channels its node's code opened, unless started with an {@link Exposure} that admits more. A message that cannot be routed from outside is answered with
 * an error reply, which {@code receive} raises as a {@code RoutingException}.
 *
 * <p>Thread safety: a context belongs to one worker, or to the code that created it; {@code send} may be called from
 * any thread.
 *
 * @since 0.1
 */
public interface Context {
    /** The timeout of {@link #receive(Class)}: 30 seconds. Pass a {@link Duration} to choose another. */
    Duration DEFAULT_RECEIVE_TIMEOUT = Duration.ofSeconds(30);

    /** This context's own address; replies to messages sent from it arrive here. */
    Address address();

    /** Starts {@code worker} at {@code address}; its message type comes from the worker's generic declaration. */
    <M> void startWorker(String address, Worker<M> worker) throws HopsealException;

    <M> void startWorker(Address address, Worker<M> worker) throws HopsealException;

    /**
     * Starts {@code worker} at {@code address}, reachable from outside the node as {@code exposure} says (by default
     * only local code and the channels the worker opens reach it).
     */
    <M> void startWorker(String address, Worker<M> worker, Exposure exposure) throws HopsealException;

    /** Starts {@code worker} at {@code address} with an explicit message type (for lambdas). */
    <M> void startWorker(String address, Class<M> type, Worker<M> worker) throws HopsealException;

    /** Starts {@code worker} at {@code address} with an explicit message type and access control. */
    default <M> void startWorker(Address address, Class<M> type, Worker<M> worker, AccessControl accessControl)
            throws HopsealException {
        startWorker(address, type, worker, Exposure.none(), accessControl);
    }

    /**
     * Starts {@code worker} at {@code address} with an explicit message type, exposure (who outside the node may
     * reach it) and access control (checked after exposure, on every admitted message).
     */
    <M> void startWorker(Address address, Class<M> type, Worker<M> worker, Exposure exposure, AccessControl accessControl)
            throws HopsealException;

    /** Stops the worker at {@code address}: it finishes its current message, then its {@code shutdown} runs. */
    void stopWorker(Address address) throws HopsealException;

    /** Sends {@code body} along {@code route}, with this context's address as the return route. */
    void send(Route route, Object body) throws HopsealException;

    /** Sends {@code body} to one address (text form of {@link Address#of(String)}). */
    default void send(String address, Object body) throws HopsealException {
        send(Route.of(address), body);
    }

    /** Sends {@code body} along {@code route} with an explicit return route. */
    void send(Route route, Route returnRoute, Object body) throws HopsealException;

    /** Routes a message as it is, by the next address of its onward route. */
    void forward(LocalMessage message) throws HopsealException;

    /** Waits up to {@link #DEFAULT_RECEIVE_TIMEOUT} for the next message and decodes it as {@code type}. */
    default <T> T receive(Class<T> type) throws HopsealException {
        return receive(type, DEFAULT_RECEIVE_TIMEOUT);
    }

    /** Waits up to {@code timeout} for the next message and decodes it as {@code type}. */
    default <T> T receive(Class<T> type, Duration timeout) throws HopsealException {
        return receiveRouted(type, timeout).body();
    }

    /** Waits up to {@code timeout} for the next message, with its routes and local information. */
    <T> Routed<T> receiveRouted(Class<T> type, Duration timeout) throws HopsealException;

    /** A new detached context with its own address and mailbox, for code that sends and receives on its own. */
    Context newContext(Address address) throws HopsealException;

    /**
     * A new detached context reachable from outside as {@code exposure} says; for example
     * {@code Exposure.through(Address.tcp("10.0.0.2:4000"))} for raw, unauthenticated replies over that connection.
     */
    Context newContext(Address address, Exposure exposure) throws HopsealException;

    /** The codecs of this node. */
    MessageCodecs codecs();

    /**
     * Stops the whole node: every worker's {@code shutdown} runs and every thread ends. Only the node's own context
     * (the one a node program is given) may; any other context throws {@link IllegalStateException} (a worker stops
     * itself with {@code stopWorker(address())}).
     */
    void stop();
}
