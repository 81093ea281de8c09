package org.hopseal.core.channel;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.routing.Address;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Backoff;
import org.hopseal.core.node.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secure channel kept open to one peer: a keeper thread opens one whenever there is none, backing off after
 * failures, until it is closed; the channel closing (its connection lost, its peer gone silent) makes the keeper open
 * another. An inlet keeps one to its outlet's node, a relay one to its host.
 *
 * <p>Thread safety: thread safe.
 */
public final class KeptChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeptChannel.class);
    /** A peer that is down fails every retry: one line per interval for all kept channels of the JVM. */
    private static final RateLimitedLog FAILURES = RateLimitedLog.warnings(LOG);
    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    /** Opens the channel (and does whatever must succeed with it, such as registering); returns its encryptor. */
    @FunctionalInterface
    public interface Opener {
        Address open() throws HopsealException;
    }

    private final Node node;
    private final String name;
    private final Opener opener;
    private final Backoff backoff;
    private final Runnable onOpen;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The channel's encryptor; null while there is none. Guarded by {@link #lock}. */
    private Address channel;
    private Identifier peer;
    private boolean closed;

    /**
     * A kept channel of {@code node}, named {@code name} in logs ("inlet 127.0.0.1:5432 to outlet db"), opened by
     * {@code opener}, again after failures as {@code backoff} says; {@code onOpen} runs on the keeper's thread after
     * each channel the keeper opens.
     */
    public KeptChannel(Node node, String name, Opener opener, Backoff backoff, Runnable onOpen) {
        this.node = node;
        this.name = name;
        this.opener = opener;
        this.backoff = backoff;
        this.onOpen = Objects.requireNonNull(onOpen, "onOpen");
    }

    /** Opens the channel on the calling thread: a failure is the caller's. */
    public void open() throws HopsealException {
        Address opened = opener.open();
        SecureChannelRegistry registry = SecureChannelRegistry.of(node);
        Identifier authenticated = registry.get(opened).flatMap(ChannelInfo::peer).map(PeerIdentity::identifier).orElse(null);
        lock.lock();
        try {
            if (closed) {
                node.stopWorker(opened, name + " closed");
                return;
            }
            channel = opened;
            peer = authenticated;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        registry.onClose(opened, () -> lost(opened));
    }

    /** Starts the keeper thread, named {@code threadName}. */
    public void keep(String threadName) {
        Thread.ofVirtual().name(threadName).start(this::keep);
    }

    private void keep() {
        Duration retry = backoff.first();
        while (await(() -> channel == null, FOREVER)) {
            try {
                open();
                retry = backoff.first();
                onOpen.run();
            } catch (HopsealException e) {
                if (e.kind() == ErrorKind.SHUTDOWN || !node.isRunning()) {
                    return;
                }
                FAILURES.warn("{}: cannot open a secure channel ({}); trying again in {} ms", name, LogText.of(e.getMessage()), retry.toMillis());
                if (!sleep(retry)) {
                    return;
                }
                retry = backoff.next(retry);
            }
        }
    }

    private void lost(Address encryptor) {
        lock.lock();
        try {
            if (encryptor.equals(channel)) {
                channel = null;
                changed.signalAll();
                if (!closed) {
                    LOG.info("{}: the secure channel was lost; opening a new one", name);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The channel's encryptor; empty while there is none. */
    public Optional<Address> channel() {
        lock.lock();
        try {
            return Optional.ofNullable(channel);
        } finally {
            lock.unlock();
        }
    }

    /** The identifier the current channel authenticated; empty while there is no channel. */
    public Optional<Identifier> peer() {
        lock.lock();
        try {
            return Optional.ofNullable(channel == null ? null : peer);
        } finally {
            lock.unlock();
        }
    }

    /** The channel, waiting up to {@code timeout} while there is none; empty if none came or it was closed. */
    public Optional<Address> awaitChannel(Duration timeout) {
        if (!await(() -> channel != null, timeout)) {
            return Optional.empty();
        }
        return channel();
    }

    /** Waits {@code timeout} unless closed first; whether it is still open. */
    public boolean sleep(Duration timeout) {
        return await(() -> false, timeout);
    }

    /**
     * Waits until {@code done} holds (checked under {@link #lock}), this is closed, or {@code timeout} passes;
     * whether it is still open.
     */
    private boolean await(BooleanSupplier done, Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (!done.getAsBoolean() && !closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the channel and stops keeping it; whether this call closed it (false if it was closed already). */
    public boolean closeNow() {
        Address open;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            open = channel;
            channel = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (open != null) {
            node.stopWorker(open, name + " closed");
        }
        return true;
    }

    @Override
    public void close() {
        closeNow();
    }

    @Override
    public String toString() {
        return name;
    }
}
