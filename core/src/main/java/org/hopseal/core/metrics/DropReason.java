package org.hopseal.core.metrics;

import java.util.Locale;

/**
 * Why a node dropped a frame, the {@code reason} tag of {@code hopseal.frames.dropped}.
 *
 * @since 0.2
 */
public enum DropReason {
    /** A channel frame failed to authenticate or to decode. */
    TAMPERED,
    /** A channel frame reused a nonce already seen. */
    REPLAYED,
    /** A channel frame's nonce was older than the replay window. */
    TOO_OLD,
    /** A listener dropped a first handshake message: too many handshakes were pending. */
    OVERLOAD;

    /** The tag value: the name in lower case. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
