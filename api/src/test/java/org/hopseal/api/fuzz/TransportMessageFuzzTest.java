package org.hopseal.api.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.TransportMessage;
import org.junit.jupiter.api.Timeout;

/**
 * BARE {@code TransportMessage} decoding: outside input yields a {@link DecodeException} or a message that encodes
 * back to the same bytes; nothing else. Runs over the committed inputs in every build; fuzz with
 * {@code JAZZER_FUZZ=1 ./scripts/mvn test -pl api -Dtest=TransportMessageFuzzTest}.
 *
 * <p>The timeout is longer than the build's default: fuzzing runs a target for its {@code maxDuration}.
 */
@Timeout(value = 11, unit = TimeUnit.MINUTES)
class TransportMessageFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void decode(byte[] input) {
        try {
            TransportMessage m = TransportMessage.decode(input);
            // What decodes must round-trip: same routes and payload again.
            TransportMessage again = TransportMessage.decode(m.encode());
            if (!again.equals(m)) {
                throw new AssertionError("decode(encode(m)) != m");
            }
        } catch (DecodeException expected) {
            // the documented failure
        }
    }
}
