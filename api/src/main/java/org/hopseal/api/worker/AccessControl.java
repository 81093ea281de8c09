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
    boolean isAuthorized(LocalMessage message);

    /** Every message is allowed (the default). */
    static AccessControl allowAll() {
        return m -> true;
    }

    /**
     * Only messages that came out of an authenticated secure channel whose peer has one of the given identifiers (as
     * the message's {@link Origin} says, which only the runtime sets).
     */
    static AccessControl identifiers(Identifier... allowed) {
        Set<Identifier> ids = Set.copyOf(Arrays.asList(allowed));
        return m -> m.origin().peerIdentifier().map(ids::contains).orElse(false);
    }
}
