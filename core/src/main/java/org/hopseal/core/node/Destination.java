package org.hopseal.core.node;

import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;

/** Something registered at a local address: a worker, or a detached context's mailbox. */
interface Destination {
    /** Whether a message from {@code origin} may reach this address (its {@link org.hopseal.api.worker.Exposure}). */
    boolean admits(Origin origin);

    void deliver(LocalMessage message) throws HopsealException;

    void close();
}
