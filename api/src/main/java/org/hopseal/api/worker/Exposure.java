package org.hopseal.api.worker;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Origin;

/**
 * Who outside this node may reach an address: the node's default-deny rule, decided on a message's {@link Origin}
 * before any {@link AccessControl} runs.
 *
 * <p>Every address accepts messages from code of its own node, from channels whose both ends are in this node, and
 * from the channels its own code opened ({@link #none()}, the default); a detached context (the application's own
 * code, {@link Context#newContext}) also accepts messages from every channel that code of its node opened. Anything
 * else must be opened on purpose:
 * <ul>
 *   <li>{@link #transports()}: raw, unauthenticated messages from any transport connection (a secure-channel
 *       listener is exposed so; an application service rarely should be);</li>
 *   <li>{@link #channelsOf(String...)}: messages that leave channels accepted by the named listeners, whose peers
 *       that listener's trust policy accepted;</li>
 *   <li>{@link #through(Address)}: messages that entered by one connection or channel end (a channel's own
 *       decryptor, which takes its peer's frames from its route's first hop).</li>
 * </ul>
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.2
 */
public final class Exposure {
    private static final Exposure NONE = new Exposure(false, false, Set.of(), Set.of());
    private static final Exposure EVERYONE = new Exposure(true, true, Set.of(), Set.of());

    private final boolean transports;
    private final boolean allChannels;
    private final Set<Address> listeners;
    private final Set<Address> entries;

    private Exposure(boolean transports, boolean allChannels, Set<Address> listeners, Set<Address> entries) {
        this.transports = transports;
        this.allChannels = allChannels;
        this.listeners = Set.copyOf(listeners);
        this.entries = Set.copyOf(entries);
    }

    /** {@return the default: local code and the channels this address opened only} */
    public static Exposure none() {
        return NONE;
    }

    /**
     * {@return the exposure to every connection and every channel} It is for what is built to face hostile input,
     * such as a secure-channel listener, which admits nothing until a handshake authenticates its peer.
     */
    public static Exposure everyone() {
        return EVERYONE;
    }

    /** {@return the default exposure and raw, unauthenticated messages from any transport connection} */
    public static Exposure transports() {
        return NONE.andTransports();
    }

    /**
     * The default exposure and messages leaving channels that the listeners at {@code listeners} accepted (and so
     * whose peers those listeners' trust policies accepted).
     *
     * @param listeners the listeners' addresses, in the text form of {@link Address#of(String)}
     * @return the exposure
     */
    public static Exposure channelsOf(String... listeners) {
        return NONE.andChannelsOf(listeners);
    }

    /**
     * The default exposure and messages that entered by {@code entry}.
     *
     * @param entry a connection's address (e.g. {@code 1#10.0.0.2:4000}) or a channel end's
     * @return the exposure
     * @throws NullPointerException if {@code entry} is {@code null}
     */
    public static Exposure through(Address entry) {
        return new Exposure(false, false, Set.of(), Set.of(Objects.requireNonNull(entry, "entry")));
    }

    /** {@return this exposure and raw, unauthenticated messages from any transport connection} */
    public Exposure andTransports() {
        return new Exposure(true, allChannels, listeners, entries);
    }

    /**
     * This exposure and messages leaving channels that the listeners at {@code listeners} accepted.
     *
     * @param listeners the listeners' addresses, in the text form of {@link Address#of(String)}
     * @return a new exposure; this one is unchanged
     */
    public Exposure andChannelsOf(String... listeners) {
        Set<Address> all = new HashSet<>(this.listeners);
        Arrays.stream(listeners).map(Address::of).forEach(all::add);
        return new Exposure(transports, allChannels, all, entries);
    }

    /**
     * Whether a message from {@code origin} may reach the address {@code self}: the runtime's check before a
     * message is delivered.
     *
     * @param origin where the message entered the node
     * @param self the address this exposure belongs to (a channel that address opened is admitted)
     * @return whether the message may reach it
     */
    public boolean admits(Origin origin, Address self) {
        return switch (origin) {
            case Origin.Local local -> true;
            case Origin.Transport t -> transports || entries.contains(t.connection());
            case Origin.Channel c -> allChannels || c.isWithinNode()
                    || c.opener().filter(self::equals).isPresent()
                    || c.listener().filter(listeners::contains).isPresent()
                    || entries.contains(c.channel());
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("local code and own channels");
        if (transports) {
            sb.append(", transports");
        }
        if (allChannels) {
            sb.append(", every channel");
        }
        if (!listeners.isEmpty()) {
            sb.append(", channels of ").append(listeners);
        }
        if (!entries.isEmpty()) {
            sb.append(", through ").append(entries);
        }
        return sb.toString();
    }
}
