package org.hopseal.core.node;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.hopseal.api.routing.Address;

/**
 * Whether a node passes messages that came from outside (a transport connection or a secure channel) on to another
 * node. Off by default: such a message whose next hop is a transport address is refused, so an unauthenticated peer
 * can make the node neither relay for it nor connect anywhere. When on, replies to connections that reached this
 * node are always forwarded; new connections are made to any destination, or only to the listed ones.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.2
 */
public final class Forwarding {
    private static final Forwarding NONE = new Forwarding(false, null);
    private static final Forwarding ANYWHERE = new Forwarding(true, null);

    private final boolean enabled;
    /** Transport addresses new connections may go to; {@code null}: any. */
    private final Set<Address> destinations;

    private Forwarding(boolean enabled, Set<Address> destinations) {
        this.enabled = enabled;
        this.destinations = destinations;
    }

    /** No forwarding (the default). */
    public static Forwarding none() {
        return NONE;
    }

    /** Forwarding to any destination. */
    public static Forwarding anywhere() {
        return ANYWHERE;
    }

    /** Forwarding that connects only to these addresses ({@code 1#host:port} or TCP {@code host:port}, as routes name them). */
    public static Forwarding to(List<String> destinations) {
        Set<Address> set = destinations.stream().map(d -> d.contains("#") ? Address.of(d) : Address.tcp(d))
                .collect(Collectors.toUnmodifiableSet());
        return new Forwarding(true, set);
    }

    /** Whether the node forwards at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether the node may open a new connection to {@code hop} for a message from outside. */
    public boolean mayConnect(Address hop) {
        Objects.requireNonNull(hop, "hop");
        return enabled && (destinations == null || destinations.contains(hop));
    }

    @Override
    public String toString() {
        return !enabled ? "no forwarding" : destinations == null ? "forwarding anywhere" : "forwarding to " + destinations;
    }
}
