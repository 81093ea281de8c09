package org.hopseal.api.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.PolicyException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.policy.Policy;
import org.junit.jupiter.api.Timeout;

/**
 * Policy expressions from outside: each parses (and then decides, and equals itself parsed again) or is refused with a
 * {@link PolicyException} pointing within it; nothing else, and no stack overflow. Fuzz with
 * {@code JAZZER_FUZZ=1 ./scripts/mvn test -pl api -Dtest=PolicyFuzzTest}.
 */
@Timeout(value = 11, unit = TimeUnit.MINUTES)
class PolicyFuzzTest {
    private static final Identifier PEER = new Identifier("I" + "a".repeat(64));

    @FuzzTest(maxDuration = "10m")
    void parse(byte[] input) {
        String expression = new String(input, StandardCharsets.UTF_8);
        try {
            Policy policy = Policy.parse(expression);
            policy.test(PEER, Map.of("a", "x"));
            if (!policy.equals(Policy.parse(expression))) {
                throw new AssertionError("parse(e) != parse(e)");
            }
        } catch (PolicyException e) {
            if (e.position() < 1 || e.position() > expression.codePointCount(0, expression.length()) + 1) {
                throw new AssertionError("position " + e.position() + " outside the expression", e);
            }
        }
    }
}
