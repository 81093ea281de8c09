package org.hopseal.api.error;

import java.time.Duration;

/**
 * An explicit timeout elapsed (a receive, a handshake, a connection). Always of kind {@link ErrorKind#TIMEOUT}.
 *
 * @since 0.1
 */
public final class HopsealTimeoutException extends HopsealException {
    /**
     * A timeout whose message reads "<i>what</i> timed out after <i>n</i> ms".
     *
     * @param what the operation that did not finish in time, e.g. {@code "receive at app"}
     * @param timeout how long it was given
     */
    public HopsealTimeoutException(String what, Duration timeout) {
        super(ErrorKind.TIMEOUT, what + " timed out after " + timeout.toMillis() + " ms");
    }
}
