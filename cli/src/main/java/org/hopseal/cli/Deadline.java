package org.hopseal.cli;

import java.time.Duration;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.HopsealTimeoutException;

/**
 * One {@code --timeout} for all that a command waits for: connecting, the handshake, the message and its reply each get
 * what is left of it, so that the command ends by then whichever step is slow.
 */
final class Deadline {
    private final Duration timeout;
    private final long end;

    private Deadline(Duration timeout) {
        this.timeout = timeout;
        this.end = System.nanoTime() + timeout.toNanos();
    }

    /** A deadline {@code timeout} from now. */
    static Deadline after(Duration timeout) {
        return new Deadline(timeout);
    }

    /** The time left for {@code step}; if none is, the error that {@code step} timed out. */
    Duration left(String step) throws HopsealTimeoutException {
        long nanos = end - System.nanoTime();
        if (nanos <= 0) {
            throw expired(step);
        }
        return Duration.ofNanos(nanos);
    }

    /**
     * {@code e} as the command's user should read it: a timeout of a step that was given what was left is this
     * deadline's, told with the whole {@code --timeout}; any other failure is itself.
     */
    HopsealException explain(HopsealException e, String step) {
        return e instanceof HopsealTimeoutException ? expired(step) : e;
    }

    private HopsealTimeoutException expired(String step) {
        return new HopsealTimeoutException(step, timeout);
    }
}
