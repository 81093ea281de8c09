package org.hopseal.api.wire;

import java.util.Objects;
import java.util.function.Function;
import org.hopseal.api.routing.TransportMessage;

/**
 * A message's payload without a copy, for the runtime's hot paths: decoding a body, parsing a channel frame, echoing.
 * The array must not be modified. {@link TransportMessage} grants this access when it is initialized; the package
 * is exported to the runtime only, so applications see only {@link TransportMessage#payload()}, a copy.
 */
public final class Payloads {
    private static volatile Function<TransportMessage, byte[]> access;

    private Payloads() {
    }

    /** Called once, by {@link TransportMessage}'s initializer. */
    public static void grant(Function<TransportMessage, byte[]> payloadOf) {
        if (access != null) {
            throw new IllegalStateException("payload access is granted already");
        }
        access = Objects.requireNonNull(payloadOf);
    }

    /** The payload of {@code message}, not copied. */
    public static byte[] of(TransportMessage message) {
        // An instance exists, so its class is initialized and has granted access.
        return access.apply(message);
    }
}
