package org.hopseal.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.noop.NoopCounter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.ErrorKind;

/**
 * The meters of one node, bound to a Micrometer {@link MeterRegistry} when the node is built with one
 * ({@link #of(MeterRegistry)}), else counting into no-op meters ({@link #none()}).
 *
 * <p>Meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code hopseal.channels.open} ({@code hopseal_channels_open}): open secure channel ends, a gauge;</li>
 *   <li>{@code hopseal.handshakes} ({@code hopseal_handshakes_total}), tag {@code outcome}: {@code ok}, or the
 *       {@link ErrorKind} of the failure in lower case ({@code untrusted}, {@code timeout}, {@code protocol}, ...);</li>
 *   <li>{@code hopseal.transport.bytes} and {@code hopseal.transport.messages} ({@code hopseal_transport_bytes_total},
 *       {@code hopseal_transport_messages_total}), tag {@code direction} {@code in} or {@code out}: TCP frames read and
 *       written, bytes counted with their length prefix;</li>
 *   <li>{@code hopseal.frames.dropped} ({@code hopseal_frames_dropped_total}), tag {@code reason}: see
 *       {@link DropReason};</li>
 *   <li>{@code hopseal.messages.refused} ({@code hopseal_messages_refused_total}), tag {@code reason} {@code full}:
 *       messages a worker's full mailbox refused once their sender's wait for room ran out (the sender got
 *       {@code UNAVAILABLE}: a service worker's reply into a channel whose peer stopped reading, a connection's
 *       reader behind a worker that stopped taking);</li>
 *   <li>{@code hopseal.portal.connections} ({@code hopseal_portal_connections}): open portal connection ends, a gauge;</li>
 *   <li>{@code hopseal.relay.registrations} ({@code hopseal_relay_registrations}): connected relay registrations
 *       this node hosts, a gauge.</li>
 * </ul>
 * Tags take only these fixed values: never an identifier, address or name, so the number of series is bounded and no
 * meter says who talks to whom.
 *
 * <p>Counting costs an increment of an atomic counter, without allocation or locks.
 *
 * <p>Thread safety: thread safe.
 *
 * @since 0.2
 */
public final class NodeMetrics {
    private static final NodeMetrics NONE = new NodeMetrics(null);

    private final AtomicInteger openChannels = new AtomicInteger();
    private final AtomicInteger portalConnections = new AtomicInteger();
    private final AtomicInteger relayRegistrations = new AtomicInteger();
    private final Counter handshakesOk;
    private final Map<ErrorKind, Counter> handshakesFailed = new EnumMap<>(ErrorKind.class);
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Counter refusedFull;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter messagesIn;
    private final Counter messagesOut;

    private NodeMetrics(MeterRegistry registry) {
        handshakesOk = counter(registry, "hopseal.handshakes", "Secure channel handshakes by outcome", null, "outcome", "ok");
        for (ErrorKind kind : ErrorKind.values()) {
            handshakesFailed.put(kind, counter(registry, "hopseal.handshakes", "Secure channel handshakes by outcome", null, "outcome",
                    kind.name().toLowerCase(Locale.ROOT)));
        }
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, counter(registry, "hopseal.frames.dropped", "Frames dropped by reason", null, "reason", reason.tag()));
        }
        refusedFull = counter(registry, "hopseal.messages.refused", "Messages a full mailbox refused to their sender", null,
                "reason", "full");
        bytesIn = counter(registry, "hopseal.transport.bytes", "TCP bytes by direction", "bytes", "direction", "in");
        bytesOut = counter(registry, "hopseal.transport.bytes", "TCP bytes by direction", "bytes", "direction", "out");
        messagesIn = counter(registry, "hopseal.transport.messages", "TCP frames by direction", null, "direction", "in");
        messagesOut = counter(registry, "hopseal.transport.messages", "TCP frames by direction", null, "direction", "out");
        if (registry != null) {
            gauge(registry, "hopseal.channels.open", "Open secure channel ends", openChannels);
            gauge(registry, "hopseal.portal.connections", "Open portal connection ends", portalConnections);
            gauge(registry, "hopseal.relay.registrations", "Connected relay registrations hosted", relayRegistrations);
        }
    }

    /** Meters bound to {@code registry}. */
    public static NodeMetrics of(MeterRegistry registry) {
        return new NodeMetrics(Objects.requireNonNull(registry, "registry"));
    }

    /** No-op meters: for a node built without a registry. */
    public static NodeMetrics none() {
        return NONE;
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String unit, String tag, String value) {
        if (registry == null) {
            return new NoopCounter(new Meter.Id(name, Tags.of(tag, value), unit, description, Meter.Type.COUNTER));
        }
        return Counter.builder(name).description(description).baseUnit(unit).tag(tag, value).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, AtomicInteger value) {
        Gauge.builder(name, value, AtomicInteger::get).description(description).register(registry);
    }

    /** A secure channel end opened. */
    public void channelOpened() {
        openChannels.incrementAndGet();
    }

    /** A secure channel end closed. */
    public void channelClosed() {
        openChannels.decrementAndGet();
    }

    /** A handshake completed: this end's channel is open. */
    public void handshakeSucceeded() {
        handshakesOk.increment();
    }

    /** A handshake failed with an error of {@code kind}. */
    public void handshakeFailed(ErrorKind kind) {
        handshakesFailed.get(kind).increment();
    }

    /** A frame was dropped for {@code reason}. */
    public void frameDropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    /** A full mailbox refused a message: its sender's wait for room ran out. */
    public void messageRefused() {
        refusedFull.increment();
    }

    /** A TCP frame of {@code bytes} bytes (length prefix included) was read. */
    public void received(int bytes) {
        messagesIn.increment();
        bytesIn.increment(bytes);
    }

    /** A TCP frame of {@code bytes} bytes (length prefix included) was written. */
    public void sent(int bytes) {
        messagesOut.increment();
        bytesOut.increment(bytes);
    }

    /** A portal connection end started. */
    public void portalOpened() {
        portalConnections.incrementAndGet();
    }

    /** A portal connection end stopped. */
    public void portalClosed() {
        portalConnections.decrementAndGet();
    }

    /** A relay registration this node hosts connected. */
    public void relayRegistered() {
        relayRegistrations.incrementAndGet();
    }

    /** A relay registration this node hosts disconnected or ended. */
    public void relayUnregistered() {
        relayRegistrations.decrementAndGet();
    }
}
