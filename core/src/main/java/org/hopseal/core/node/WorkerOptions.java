package org.hopseal.core.node;

import java.time.Duration;
import java.util.Objects;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Exposure;

/**
 * How a worker is started: who outside the node may reach it, which messages its access control admits, its mailbox
 * capacity, whether it is dedicated to one peer (and so may wait for it) or serves many ({@link ServiceThread}),
 * whether it may run on its senders' threads, and how long a thread serving many peers waits for room in it.
 *
 * @param exposure who outside the node may reach the worker
 * @param accessControl checked on each admitted message before the worker sees it
 * @param capacity the most messages its mailbox holds ({@link Integer#MAX_VALUE}: unbounded for local senders)
 * @param dedicated whether the worker serves a single peer (a channel's encryptor or decryptor)
 * @param onSendersThread whether a message that finds the worker idle is handled at once on the sending thread (a
 *     channel end encrypts on its producer's thread and decrypts on the connection's reader), instead of waking the
 *     worker's own thread; the worker then runs on several threads, one at a time, in mailbox order
 * @param sendCheck what a message must pass, on its sender's thread, before the worker takes it or it is queued
 * @param serviceWait how long a {@link ServiceThread} waits for room in a full mailbox while the worker takes no
 *     message, before its send fails with {@code UNAVAILABLE}; a quarter second unless the worker needs another (a
 *     channel's encryptor, whose replies must not be lost to a peer's pause)
 */
public record WorkerOptions(Exposure exposure, AccessControl accessControl, int capacity, boolean dedicated,
        boolean onSendersThread, SendCheck sendCheck, Duration serviceWait) {
    public WorkerOptions {
        Objects.requireNonNull(exposure, "exposure");
        Objects.requireNonNull(accessControl, "accessControl");
        Objects.requireNonNull(sendCheck, "sendCheck");
        Objects.requireNonNull(serviceWait, "serviceWait");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        if (serviceWait.isNegative() || serviceWait.compareTo(Mailbox.MAX_WAIT) > 0) {
            throw new IllegalArgumentException("serviceWait must be between zero and " + Mailbox.MAX_WAIT + ", was " + serviceWait);
        }
    }

    /** Options whose service senders wait the default quarter second for a worker that takes nothing. */
    public WorkerOptions(Exposure exposure, AccessControl accessControl, int capacity, boolean dedicated, boolean onSendersThread,
            SendCheck sendCheck) {
        this(exposure, accessControl, capacity, dedicated, onSendersThread, sendCheck, Mailbox.STALLED);
    }

    /** Options that pass every message ({@link SendCheck#NONE}). */
    public WorkerOptions(Exposure exposure, AccessControl accessControl, int capacity, boolean dedicated, boolean onSendersThread) {
        this(exposure, accessControl, capacity, dedicated, onSendersThread, SendCheck.NONE);
    }

    /** A service worker: exposed as given, unbounded mailbox for local senders. */
    public static WorkerOptions service(Exposure exposure, AccessControl accessControl) {
        return new WorkerOptions(exposure, accessControl, Integer.MAX_VALUE, false, false);
    }

    /** A worker dedicated to one peer, with a mailbox of {@code capacity}. */
    public static WorkerOptions dedicated(Exposure exposure, int capacity) {
        return new WorkerOptions(exposure, AccessControl.allowAll(), capacity, true, false);
    }

    /** These options, with messages that find the worker idle handled on the sending thread. */
    public WorkerOptions withSendersThread() {
        return new WorkerOptions(exposure, accessControl, capacity, dedicated, true, sendCheck, serviceWait);
    }

    /** These options, with {@code check} made on each message's sender's thread. */
    public WorkerOptions withSendCheck(SendCheck check) {
        return new WorkerOptions(exposure, accessControl, capacity, dedicated, onSendersThread, check, serviceWait);
    }

    /** These options, with service senders waiting up to {@code wait} for room while the worker takes nothing. */
    public WorkerOptions withServiceWait(Duration wait) {
        return new WorkerOptions(exposure, accessControl, capacity, dedicated, onSendersThread, sendCheck, wait);
    }
}
