package org.hopseal.core.channel;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hopseal.api.routing.Address;
import org.hopseal.core.metrics.NodeMetrics;
import org.hopseal.core.node.Node;

/**
 * The open channel ends of a node, by encryptor address.
 *
 * <p>Thread safety: thread safe.
 */
public final class SecureChannelRegistry {
    private final Map<Address, ChannelInfo> channels = new ConcurrentHashMap<>();
    private final Map<Address, Set<Runnable>> closeListeners = new ConcurrentHashMap<>();
    private final NodeMetrics metrics;

    private SecureChannelRegistry(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    /** The registry of {@code node}; it closes the channels whose first hop's connection closes. */
    public static SecureChannelRegistry of(Node node) {
        return node.service(SecureChannelRegistry.class, () -> {
            SecureChannelRegistry r = new SecureChannelRegistry(node.metrics());
            node.onTransportClosed((address, reason) -> {
                for (ChannelInfo info : r.channels.values()) {
                    if (address.equals(info.firstHop())) {
                        String why = "secure channel closed: " + reason;
                        node.stopWorker(info.encryptor(), why);
                        node.stopWorker(info.decryptor(), why);
                    }
                }
            });
            node.onTransportUse(address -> r.channels.values().stream().anyMatch(info -> address.equals(info.firstHop())));
            return r;
        });
    }

    /** Adds a channel end that opened, or replaces its info (its peer's attributes changed). */
    void add(ChannelInfo info) {
        if (channels.put(info.encryptor(), info) == null) {
            metrics.channelOpened();
        }
    }

    void remove(Address encryptor) {
        if (channels.remove(encryptor) != null) {
            metrics.channelClosed();
        }
        Set<Runnable> listeners = closeListeners.remove(encryptor);
        if (listeners != null) {
            listeners.forEach(Runnable::run);
        }
    }

    /**
     * Runs {@code listener} once the channel whose encryptor is {@code encryptor} closes (at once, on this thread,
     * if it is not open). The returned handle removes the listener (for what ends before its channel).
     */
    public Runnable onClose(Address encryptor, Runnable listener) {
        closeListeners.computeIfAbsent(encryptor, e -> ConcurrentHashMap.newKeySet()).add(listener);
        if (!channels.containsKey(encryptor)) {
            Set<Runnable> listeners = closeListeners.remove(encryptor);
            if (listeners != null) {
                listeners.forEach(Runnable::run);
            }
        }
        return () -> closeListeners.computeIfPresent(encryptor, (e, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    public Optional<ChannelInfo> get(Address encryptor) {
        return Optional.ofNullable(channels.get(encryptor));
    }

    public Collection<ChannelInfo> all() {
        return channels.values();
    }
}
