package org.hopseal.core.channel;

import java.time.Duration;
import org.hopseal.api.identity.SecureChannelOptions;

/** How long a handshake may take, and how long an open channel end may hear nothing from its peer (zero: forever). */
record ChannelTimeouts(Duration handshake, Duration idle) {
    static ChannelTimeouts of(SecureChannelOptions options) {
        return new ChannelTimeouts(options.handshakeTimeout(), options.idleTimeout());
    }

    boolean idleEnabled() {
        return !idle.isZero();
    }
}
