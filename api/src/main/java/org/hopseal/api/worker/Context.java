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
 * code and by the channels its node's code opened, unless started with an {@link Exposure} that admits more. A
 * message that cannot be routed from outside is answered with an error reply, which {@code receive} raises as a
 * {@code RoutingException}.
 *
 * <h2>Errors</h2>
 * Routing failures are {@link org.hopseal.api.error.RoutingException}s whose {@link org.hopseal.api.error.ErrorKind}
 * says why: {@code NOT_FOUND} (no worker at a local address), {@code ALREADY_EXISTS} (an address in use),
 * {@code UNSUPPORTED} (no codec for a body's type, no transport for an address's type), {@code UNAVAILABLE} or
 * {@code TIMEOUT} (a peer that cannot be reached), {@code INVALID} (an empty route, a frame over the transport's
 * limit), {@code SHUTDOWN} (the node has stopped). A failure further along the route is not known when
 * {@code send} returns; it arrives later as an error reply, if at all.
 *
 * <p>Thread safety: a context belongs to one worker, or to the code that created it; {@code send} may be called from
 * any thread.
 *
 * @since 0.1
 */
public interface Context {
    /** The timeout of {@link #receive(Class)}: 30 seconds. Pass a {@link Duration} to choose another. */
    Duration DEFAULT_RECEIVE_TIMEOUT = Duration.ofSeconds(30);

    /** {@return this context's own address; replies to messages sent from it arrive here} */
    Address address();

    /**
     * Starts {@code worker} at {@code address}; its message type comes from the worker's generic declaration. It is
     * reachable by local code and the channels it opens only ({@link Exposure#none()}), and admits every message
     * that reaches it. Returns once the worker's {@link Worker#initialize initialize} has run.
     *
     * @param <M> the worker's message type
     * @param address a local address, in the text form of {@link Address#of(String)}
     * @param worker the worker
     * @throws HopsealException {@code ALREADY_EXISTS} if the address is in use, {@code SHUTDOWN} if the node has
     *     stopped, or what {@code initialize} threw (a failure other than a {@code HopsealException} becomes
     *     {@code INTERNAL}); the worker is not started
     * @throws IllegalArgumentException if the address is not local, or the message type cannot be read from the
     *     worker's class (a lambda: use {@link #startWorker(String, Class, Worker)})
     */
    <M> void startWorker(String address, Worker<M> worker) throws HopsealException;

    /**
     * Starts {@code worker} at {@code address}, as {@link #startWorker(String, Worker)} does.
     *
     * @param <M> the worker's message type
     * @param address a local address
     * @param worker the worker
     * @throws HopsealException as {@link #startWorker(String, Worker)} does
     */
    <M> void startWorker(Address address, Worker<M> worker) throws HopsealException;

    /**
     * Starts {@code worker} at {@code address}, reachable from outside the node as {@code exposure} says (by default
     * only local code and the channels the worker opens reach it).
     *
     * @param <M> the worker's message type, read from the worker's generic declaration
     * @param address a local address, in the text form of {@link Address#of(String)}
     * @param worker the worker
     * @param exposure who outside the node may reach it
     * @throws HopsealException as {@link #startWorker(String, Worker)} does
     */
    <M> void startWorker(String address, Worker<M> worker, Exposure exposure) throws HopsealException;

    /**
     * Starts {@code worker} at {@code address} with an explicit message type (for lambdas), as
     * {@link #startWorker(String, Worker)} does otherwise.
     *
     * @param <M> the worker's message type
     * @param address a local address, in the text form of {@link Address#of(String)}
     * @param type the message type, which a codec of this node must decode ({@code LocalMessage.class} for the raw
     *     message)
     * @param worker the worker
     * @throws HopsealException as {@link #startWorker(String, Worker)} does
     */
    <M> void startWorker(String address, Class<M> type, Worker<M> worker) throws HopsealException;

    /**
     * Starts {@code worker} at {@code address} with an explicit message type and access control, reachable by local
     * code and the channels it opens only ({@link Exposure#none()}).
     *
     * @param <M> the worker's message type
     * @param address a local address
     * @param type the message type
     * @param worker the worker
     * @param accessControl checked on every message that reaches the worker; a refused one is logged and dropped
     * @throws HopsealException as {@link #startWorker(String, Worker)} does
     */
    default <M> void startWorker(Address address, Class<M> type, Worker<M> worker, AccessControl accessControl)
            throws HopsealException {
        startWorker(address, type, worker, Exposure.none(), accessControl);
    }

    /**
     * Starts {@code worker} at {@code address} with an explicit message type, exposure (who outside the node may
     * reach it) and access control (checked after exposure, on every admitted message).
     *
     * @param <M> the worker's message type
     * @param address a local address
     * @param type the message type
     * @param worker the worker
     * @param exposure who outside the node may reach it
     * @param accessControl checked on every admitted message; a refused one is logged and dropped
     * @throws HopsealException as {@link #startWorker(String, Worker)} does
     */
    <M> void startWorker(Address address, Class<M> type, Worker<M> worker, Exposure exposure, AccessControl accessControl)
            throws HopsealException;

    /**
     * Stops the worker at {@code address}: it handles the messages already queued for it, then its {@code shutdown}
     * runs. Returns without waiting for either; new messages to the address fail with {@code NOT_FOUND}.
     *
     * @param address the worker's (or a detached context's) address
     * @throws HopsealException {@code NOT_FOUND} if nothing runs at {@code address}
     */
    void stopWorker(Address address) throws HopsealException;

    /**
     * Sends {@code body} along {@code route}, with this context's address as the return route.
     *
     * @param route where the message goes, the next hop first
     * @param body the message, encoded by the codec registered for its class
     * @throws HopsealException if the message cannot be passed to its next hop (see the class documentation)
     */
    void send(Route route, Object body) throws HopsealException;

    /**
     * Sends {@code body} to one address, with this context's address as the return route.
     *
     * @param address the receiver, in the text form of {@link Address#of(String)}
     * @param body the message, encoded by the codec registered for its class
     * @throws HopsealException if the message cannot be passed to its receiver (see the class documentation)
     */
    default void send(String address, Object body) throws HopsealException {
        send(Route.of(address), body);
    }

    /**
     * Sends {@code body} along {@code route} with an explicit return route.
     *
     * @param route where the message goes, the next hop first
     * @param returnRoute where replies go
     * @param body the message, encoded by the codec registered for its class
     * @throws HopsealException if the message cannot be passed to its next hop (see the class documentation)
     */
    void send(Route route, Route returnRoute, Object body) throws HopsealException;

    /**
     * Routes a message as it is, by the next address of its onward route, keeping its origin: how a worker passes on
     * what it received (see {@link Hop}).
     *
     * @param message a message as it was handed to this context, or derived from one (its origin unchanged)
     * @throws HopsealException {@code INVALID} if the message's origin was not issued by the runtime or its
     *     connection or channel has closed, {@code UNTRUSTED} if a message from outside would leave for another node
     *     and this node does not forward, or any failure {@code send} has
     */
    void forward(LocalMessage message) throws HopsealException;

    /**
     * Waits up to {@link #DEFAULT_RECEIVE_TIMEOUT} for the next message and decodes it as {@code type}.
     *
     * @param <T> the expected body type
     * @param type the expected body type, which a codec of this node decodes
     * @return the body
     * @throws HopsealException as {@link #receiveRouted} does
     */
    default <T> T receive(Class<T> type) throws HopsealException {
        return receive(type, DEFAULT_RECEIVE_TIMEOUT);
    }

    /**
     * Waits up to {@code timeout} for the next message and decodes it as {@code type}.
     *
     * @param <T> the expected body type
     * @param type the expected body type, which a codec of this node decodes
     * @param timeout how long to wait
     * @return the body
     * @throws HopsealException as {@link #receiveRouted} does
     */
    default <T> T receive(Class<T> type, Duration timeout) throws HopsealException {
        return receiveRouted(type, timeout).body();
    }

    /**
     * Waits up to {@code timeout} for the next message, with its routes and local information. Only a detached
     * context receives this way; a worker is handed its messages ({@link Worker#handleMessage}).
     *
     * @param <T> the expected body type
     * @param type the expected body type, which a codec of this node decodes; {@code LocalMessage.class} gives the
     *     message undecoded
     * @param timeout how long to wait
     * @return the next message, decoded
     * @throws HopsealException a {@link org.hopseal.api.error.HopsealTimeoutException} if no message came in time;
     *     a {@code RoutingException} of the reported kind if the next message is an error reply from outside,
     *     {@code UNSUPPORTED} if no codec decodes {@code type}, {@code SHUTDOWN} if the context is closed, its node
     *     stopped or the thread was interrupted; a {@link org.hopseal.api.error.DecodeException} if the body is not
     *     a {@code type}. A message that fails so is consumed all the same.
     * @throws IllegalStateException if this is a worker's context
     */
    <T> Routed<T> receiveRouted(Class<T> type, Duration timeout) throws HopsealException;

    /**
     * A new detached context with its own address and mailbox, for code that sends and receives on its own. Besides
     * local code, it is reached by the channels that code of this node opened.
     *
     * @param address a local address, not in use
     * @return the context
     * @throws HopsealException {@code ALREADY_EXISTS} if the address is in use, {@code SHUTDOWN} if the node has
     *     stopped
     * @throws IllegalArgumentException if the address is not local
     */
    Context newContext(Address address) throws HopsealException;

    /**
     * A new detached context reachable from outside as {@code exposure} says; for example
     * {@code Exposure.through(Address.tcp("10.0.0.2:4000"))} for raw, unauthenticated replies over that connection.
     *
     * @param address a local address, not in use
     * @param exposure who outside the node may reach it, besides what {@link #newContext(Address)} admits
     * @return the context
     * @throws HopsealException as {@link #newContext(Address)} does
     */
    Context newContext(Address address, Exposure exposure) throws HopsealException;

    /** {@return the codecs of this node, where the codecs of application types are registered} */
    MessageCodecs codecs();

    /**
     * Stops the whole node: every worker's {@code shutdown} runs and every thread ends. Only the node's own context
     * (the one a node program is given) may; any other context throws {@link IllegalStateException} (a worker stops
     * itself with {@code stopWorker(address())}).
     */
    void stop();
}
