package org.hopseal.core.node;

import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.LocalMessage;

/**
 * A test a message must pass before it is handed to a worker or queued for it, made on the sender's thread: a message
 * the worker could never carry (larger than a secure channel's largest, say) fails its sender at once, with the reason,
 * instead of being dropped later where nobody waits for the error.
 *
 * <p>Thread safety: implementations must be thread safe.
 */
@FunctionalInterface
public interface SendCheck {
    /** Passes every message. */
    SendCheck NONE = message -> { };

    /** Returns if the worker may take {@code message}; throws the sender's error if not. */
    void check(LocalMessage message) throws HopsealException;
}
