package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.hopseal.api.identity.Identifier;
import org.junit.jupiter.api.Test;

/** A routed body exposes the routes and the origin of the message it came in, and nothing else. */
class RoutedTest {
    private static final Identifier ALICE = new Identifier("I" + "a".repeat(64));

    private static LocalMessage message(Origin origin) {
        return new LocalMessage(TransportMessage.wrap(Route.of("svc", "next"), Route.of("channel", "app"), new byte[] {1}))
                .withOrigin(origin);
    }

    @Test
    void theRoutesAreThoseOfTheMessage() {
        Routed<String> r = new Routed<>("body", message(Origin.LOCAL));

        assertThat(r.onwardRoute()).isEqualTo(Route.of("svc", "next"));
        assertThat(r.returnRoute()).isEqualTo(Route.of("channel", "app"));
        assertThat(r.body()).isEqualTo("body");
    }

    @Test
    void thePeerIdentifierComesFromAChannelOriginOnly() {
        Origin.Channel fromAlice = new Origin.Channel(Address.of("d1"), Optional.of(Address.of("listener")), Optional.empty(),
                Optional.of(ALICE), new Origin.Transport(Address.tcp("10.0.0.1:4000"), true));
        Routed<String> viaChannel = new Routed<>("x", message(fromAlice));
        Routed<String> viaTransport = new Routed<>("x", message(new Origin.Transport(Address.tcp("10.0.0.1:4000"), true)));
        Routed<String> local = new Routed<>("x", message(Origin.LOCAL).withLocalInfo("peer_identifier", ALICE.value()));

        assertThat(viaChannel.peerIdentifier()).contains(ALICE);
        assertThat(viaChannel.origin()).isEqualTo(fromAlice);
        assertThat(viaTransport.peerIdentifier()).isEmpty();
        assertThat(local.peerIdentifier()).as("a string in the local information is no identifier").isEmpty();
    }

    @Test
    void aBodyAndAMessageAreRequired() {
        assertThatThrownBy(() -> new Routed<>(null, message(Origin.LOCAL))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Routed<>("x", null)).isInstanceOf(NullPointerException.class);
    }
}
