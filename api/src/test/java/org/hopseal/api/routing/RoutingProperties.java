package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.hopseal.api.error.DecodeException;

class RoutingProperties {
    @Provide
    Arbitrary<Address> addresses() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as(Address::of);
    }

    @Provide
    Arbitrary<Route> routes() {
        return addresses().list().ofMaxSize(8).map(Route::of);
    }

    @Property
    void encodeDecodeRoundTrip(@ForAll("routes") Route onward, @ForAll("routes") Route back,
            @ForAll byte[] payload) throws Exception {
        TransportMessage m = new TransportMessage(onward, back, payload);
        byte[] encoded = m.encode();
        assertThat(m.encodedSize()).isEqualTo(encoded.length);
        assertThat(TransportMessage.decode(encoded)).isEqualTo(m);
    }

    @Property(tries = 2000)
    void randomBytesNeverEscapeTheDecodeError(@ForAll byte[] bytes) {
        try {
            TransportMessage.decode(bytes);
        } catch (DecodeException expected) {
            // the only failure allowed
        }
    }

    @Property
    void stepForwardAndPrependAreInverseOnTheFront(@ForAll("routes") Route route, @ForAll("addresses") Address a) {
        assertThat(route.prepend(a).next()).isEqualTo(a);
        assertThat(route.prepend(a).stepForward()).isEqualTo(route);
    }

    @Property
    void textFormRoundTripsForTextAddresses(@ForAll("textAddresses") Address a) {
        assertThat(Address.of(a.toString())).isEqualTo(a);
    }

    @Provide
    Arbitrary<Address> textAddresses() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20))
                .as((t, v) -> Address.of(t, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Property
    void routeEqualityIsByValue(@ForAll("routes") Route r) {
        assertThat(Route.of(List.copyOf(r.addresses()))).isEqualTo(r).hasSameHashCodeAs(r);
    }
}
