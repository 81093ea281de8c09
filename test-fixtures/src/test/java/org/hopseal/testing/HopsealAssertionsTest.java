package org.hopseal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;
import static org.hopseal.testing.HopsealAssertions.thrownKind;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.RoutingException;
import org.junit.jupiter.api.Test;

class HopsealAssertionsTest {
    private static void refuse() throws RoutingException {
        throw new RoutingException(ErrorKind.UNTRUSTED, "refused");
    }

    @Test
    void anErrorOfTheKindPassesAndTheAssertionGoesOnWithIt() {
        assertHopsealError(ErrorKind.UNTRUSTED, HopsealAssertionsTest::refuse).isInstanceOf(RoutingException.class).hasMessage("refused");
        assertThat(thrownKind(HopsealAssertionsTest::refuse)).isEqualTo(ErrorKind.UNTRUSTED);
    }

    @Test
    void anotherKindAnotherExceptionOrNoneFails() {
        assertThatThrownBy(() -> assertHopsealError(ErrorKind.NOT_FOUND, HopsealAssertionsTest::refuse))
                .isInstanceOf(AssertionError.class).hasMessageContaining("NOT_FOUND").hasMessageContaining("UNTRUSTED");
        assertThatThrownBy(() -> thrownKind(() -> {
            throw new IllegalStateException("not Hopseal's");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("HopsealException");
        assertThatThrownBy(() -> thrownKind(() -> { })).isInstanceOf(AssertionError.class).hasMessageContaining("nothing was thrown");
    }
}
