package org.hopseal.api.error;

import java.time.Duration;

/**
 * An explicit timeout elapsed (a receive, a handshake, a connection). Always of kind {@link ErrorKind#TIMEOUT}.
 *
 * @since 0.1
 */
public final class HopsealTimeoutException extends HopsealException {
    public HopsealTimeoutException(String what, Duration timeout) {
        super(ErrorKind.TIMEOUT, what + " timed out after " + timeout.toMillis() + " ms");
    }
}
