package org.hopseal.testing;

import java.time.Duration;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.worker.Context;

/**
 * A round trip to the echo worker that tests start at {@link #ECHOER} ({@link TestNode} starts it), through a channel or
 * any first hop.
 */
public final class Echo {
    /** The address tests start their echo worker at. */
    public static final String ECHOER = "echoer";
    /** How long a round trip may take before the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Echo() {
    }

    /** Sends {@code text} from {@code ctx} through {@code hop} to the echoer and returns the reply. */
    public static String through(Context ctx, Address hop, String text) throws HopsealException {
        ctx.send(Route.of(hop, Address.of(ECHOER)), text);
        return ctx.receive(String.class, TIMEOUT);
    }
}
