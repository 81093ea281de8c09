package org.hopseal.core.node;

import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.LocalMessage;

/** Something registered at a local address: a worker, or a detached context's mailbox. */
interface Destination {
    void deliver(LocalMessage message) throws HopsealException;

    void close();
}
