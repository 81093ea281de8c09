package org.hopseal.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The identifier form: {@code I} and 64 lower-case hex characters, nothing else. */
class IdentifierTest {
    private static final String HEX = "0123456789abcdef".repeat(4);

    @Test
    void anIdentifierIsAnIFollowedBy64LowerCaseHexCharacters() {
        Identifier id = new Identifier("I" + HEX);

        assertThat(id.value()).isEqualTo("I" + HEX);
        assertThat(id).hasToString("I" + HEX).isEqualTo(new Identifier("I" + HEX));
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "I", HEX, "i" + HEX, "I" + HEX.substring(1), "I" + HEX + "0", "I" + HEX.toUpperCase(),
                "I" + HEX.substring(1) + "g", " I" + HEX.substring(1), "I" + HEX.substring(1) + "\n", "XI" + HEX}) {
            assertThatThrownBy(() -> new Identifier(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("64 lower-case hex characters");
        }
        assertThatThrownBy(() -> new Identifier(null)).isInstanceOf(NullPointerException.class);
    }
}
