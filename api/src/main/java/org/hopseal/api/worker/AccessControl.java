package org.hopseal.api.worker;

import java.util.Arrays;
import java.util.Set;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;

/**
 * Decides whether a message may reach a worker. A refused message never reaches it: the node logs the refusal with the
 * sender's identifier, and a sender outside the node (through a connection or a secure channel) gets an error reply of
 * kind {@link ErrorKind#UNTRUSTED}, which its {@code receive} raises.
 *
 * <p>Thread safety: implementations must be thread safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface AccessControl {
    /**
     * Decides on one message, after the worker's {@link Exposure} admitted it and before the worker sees it. Decide
     * on the message's {@link Origin}, which only the runtime sets, not on anything its sender wrote.
     *
     * @param message the message, with its origin
     * @return whether the worker may see it; if not, it is logged and dropped
     */
    boolean isAuthorized(LocalMessage message);

    /** {@return the access control that allows every message (the default)} */
    static AccessControl allowAll() {
        return m -> true;
    }

    /**
     * Only messages that came out of an authenticated secure channel whose peer has one of the given identifiers (as
     * the message's {@link Origin} says, which only the runtime sets). Local messages are refused too.
     *
     * @param allowed the peers to admit; none admits nothing
     * @return the access control
     * @throws NullPointerException if an identifier is {@code null}
     */
    static AccessControl identifiers(Identifier... allowed) {
        Set<Identifier> ids = Set.copyOf(Arrays.asList(allowed));
        return m -> m.origin().peerIdentifier().map(ids::contains).orElse(false);
    }
}
