package org.hopseal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;

/** Assertions on Hopseal's errors, which callers tell apart by {@link ErrorKind}, never by message text. */
public final class HopsealAssertions {
    private HopsealAssertions() {
    }

    /**
     * Asserts that {@code call} throws a {@link HopsealException} of {@code kind}; the returned assertion goes on
     * with the exception ({@code .isInstanceOf(RoutingException.class).hasMessageContaining("...")}).
     */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertHopsealError(ErrorKind kind, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(kindOf(thrown)).as("the kind of %s", thrown).isEqualTo(kind);
        return assertThat(thrown);
    }

    /** The kind of the {@link HopsealException} that {@code call} throws; fails if it throws nothing or another exception. */
    public static ErrorKind thrownKind(ThrowingCallable call) {
        return kindOf(catchThrowable(call));
    }

    /** The kind of {@code thrown}, which must be a {@link HopsealException} ({@code .extracting(HopsealAssertions::kindOf)}). */
    public static ErrorKind kindOf(Throwable thrown) {
        if (thrown == null) {
            throw new AssertionError("expected a HopsealException, but nothing was thrown");
        }
        assertThat(thrown).as("the exception thrown").isInstanceOf(HopsealException.class);
        return ((HopsealException) thrown).kind();
    }
}
