package org.hopseal.core.channel;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hopseal.api.routing.Address;
import org.hopseal.core.node.Node;

/**
 * The open channel ends of a node, by encryptor address.
 *
 * <p>Thread safety: thread safe.
 */
public final class SecureChannelRegistry {
    private final Map<Address, ChannelInfo> channels = new ConcurrentHashMap<>();

    /** The registry of {@code node}. */
    public static SecureChannelRegistry of(Node node) {
        return node.service(SecureChannelRegistry.class, SecureChannelRegistry::new);
    }

    void add(ChannelInfo info) {
        channels.put(info.encryptor(), info);
    }

    void remove(Address encryptor) {
        channels.remove(encryptor);
    }

    public Optional<ChannelInfo> get(Address encryptor) {
        return Optional.ofNullable(channels.get(encryptor));
    }

    public Collection<ChannelInfo> all() {
        return channels.values();
    }
}
