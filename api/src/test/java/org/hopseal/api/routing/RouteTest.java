package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Routes as immutable values: stepping, prepending, appending, equality and the text form. */
class RouteTest {
    private static final Address A = Address.of("a");
    private static final Address B = Address.of("b");
    private static final Address T = Address.tcp("10.0.0.1:4000");

    @Test
    void anEmptyRouteHasNoNextHopAndCannotStepForward() {
        assertThat(Route.empty().isEmpty()).isTrue();
        assertThat(Route.empty().size()).isZero();
        assertThat(Route.of(A).isEmpty()).isFalse();
        assertThatThrownBy(() -> Route.empty().next()).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> Route.empty().stepForward()).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void steppingForwardDropsTheFirstHopAndPrependingAddsOne() {
        Route r = Route.of(A, B, T);

        assertThat(r.next()).isEqualTo(A);
        assertThat(r.stepForward()).isEqualTo(Route.of(B, T));
        assertThat(r.stepForward().stepForward().stepForward().isEmpty()).isTrue();
        assertThat(Route.of(B).prepend(A)).isEqualTo(Route.of(A, B));
        assertThat(r).as("unchanged").isEqualTo(Route.of(A, B, T));
    }

    @Test
    void appendingARouteOrAnAddressPutsItAtTheEnd() {
        Route r = Route.of(A);

        assertThat(r.append(Route.of(B, T))).isEqualTo(Route.of(A, B, T));
        assertThat(r.append(T)).isEqualTo(Route.of(A, T));
        assertThat(Route.empty().append(Route.empty())).isEqualTo(Route.empty());
        assertThat(r).isEqualTo(Route.of(A));
    }

    @Test
    void aRouteBuiltFromAListDoesNotFollowTheList() {
        List<Address> list = new ArrayList<>(List.of(A));
        Route r = Route.of(list);
        list.add(B);

        assertThat(r.addresses()).containsExactly(A);
        assertThatThrownBy(() -> r.addresses().add(B)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void routesAreEqualExactlyWhenTheirHopsAre() {
        assertThat(Route.of("a", "1#10.0.0.1:4000")).isEqualTo(Route.of(A, T)).hasSameHashCodeAs(Route.of(A, T));
        assertThat(Route.of(A, B)).isNotEqualTo(Route.of(B, A));
        assertThat(Route.of(A)).isNotEqualTo(Route.of(A, A));
        assertThat(Route.of(A)).isNotEqualTo("a");
        assertThat(Route.of(A).hashCode()).isNotEqualTo(Route.of(B).hashCode());
    }

    @Test
    void theTextFormListsTheHops() {
        assertThat(Route.of(A, T)).hasToString("[a => 1#10.0.0.1:4000]");
        assertThat(Route.empty()).hasToString("[]");
    }

    @Test
    void prependNeedsAnAddress() {
        assertThatThrownBy(() -> Route.of(A).prepend(null)).isInstanceOf(NullPointerException.class);
    }
}
