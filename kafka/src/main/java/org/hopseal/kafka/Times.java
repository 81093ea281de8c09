package org.hopseal.kafka;

import java.time.Instant;
import org.hopseal.api.error.DecodeException;

/** Unix seconds on the wire, checked against {@link Instant}'s range. */
final class Times {
    private Times() {
    }

    static Instant instant(long unixSeconds, String what) throws DecodeException {
        if (unixSeconds < 0 || unixSeconds > Instant.MAX.getEpochSecond()) {
            throw new DecodeException("the " + what + " " + Long.toUnsignedString(unixSeconds) + " is out of range");
        }
        return Instant.ofEpochSecond(unixSeconds);
    }
}
