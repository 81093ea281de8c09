package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hopseal.api.wire.Payloads;
import org.junit.jupiter.api.Test;

/** Transport messages as values: copying, wrapping, equality and the text form. */
class TransportMessageValueTest {
    private static final Route ON = Route.of("a", "b");
    private static final Route BACK = Route.of("c");

    @Test
    void theConstructorCopiesThePayloadAndWrapTakesItAsIs() {
        byte[] payload = {1, 2, 3};
        TransportMessage copied = new TransportMessage(ON, BACK, payload);
        TransportMessage wrapped = TransportMessage.wrap(ON, BACK, payload);
        payload[0] = 9;

        assertThat(copied.payload()).containsExactly(1, 2, 3);
        assertThat(Payloads.of(wrapped)).isSameAs(payload);
        assertThat(wrapped.payload()).containsExactly(9, 2, 3).isNotSameAs(payload);
        assertThat(wrapped.onwardRoute()).isEqualTo(ON);
        assertThat(wrapped.returnRoute()).isEqualTo(BACK);
        assertThat(wrapped.version()).isEqualTo(TransportMessage.VERSION).isEqualTo(1);
    }

    @Test
    void wrapNeedsRoutesAndAPayload() {
        assertThatThrownBy(() -> TransportMessage.wrap(null, BACK, new byte[0])).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TransportMessage.wrap(ON, null, new byte[0])).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TransportMessage.wrap(ON, BACK, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void messagesAreEqualWhenRoutesAndPayloadAre() {
        TransportMessage m = new TransportMessage(ON, BACK, new byte[] {1});

        assertThat(m).isEqualTo(new TransportMessage(ON, BACK, new byte[] {1}))
                .hasSameHashCodeAs(new TransportMessage(ON, BACK, new byte[] {1}));
        assertThat(m).isNotEqualTo(new TransportMessage(ON, BACK, new byte[] {2}));
        assertThat(m).isNotEqualTo(new TransportMessage(BACK, BACK, new byte[] {1}));
        assertThat(m).isNotEqualTo(new TransportMessage(ON, ON, new byte[] {1}));
        assertThat(m).isNotEqualTo("message");
        assertThat(m.hashCode()).isNotEqualTo(new TransportMessage(ON, BACK, new byte[] {2}).hashCode());
    }

    @Test
    void theTextFormShowsRoutesAndThePayloadSizeButNotThePayload() {
        TransportMessage m = new TransportMessage(ON, BACK, "secret".getBytes());

        assertThat(m).hasToString("TransportMessage{onward=[a => b], return=[c], payload=6 bytes}");
    }

    @Test
    void replacingARouteKeepsEverythingElse() {
        TransportMessage m = new TransportMessage(ON, BACK, new byte[] {1});

        assertThat(m.withOnwardRoute(BACK)).isEqualTo(new TransportMessage(BACK, BACK, new byte[] {1}));
        assertThat(m.withReturnRoute(ON)).isEqualTo(new TransportMessage(ON, ON, new byte[] {1}));
        assertThat(m.encodedSize()).isEqualTo(m.encode().length);
    }
}
