package org.hopseal.api.worker;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.LocalMessage;

/**
 * Decides whether a message may reach a worker. A refused message is logged and dropped before the worker sees it.
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
     * Only messages that came out of an authenticated secure channel whose peer has one of the given identifiers.
     */
    static AccessControl identifiers(Identifier... allowed) {
        Set<String> ids = Stream.of(allowed).map(Identifier::toString).collect(Collectors.toUnmodifiableSet());
        return m -> m.localInfo(LocalMessage.PEER_IDENTIFIER).map(ids::contains).orElse(false);
    }
}
