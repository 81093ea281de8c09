package org.hopseal.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Optional;
import org.hopseal.api.identity.Identifier;
import org.junit.jupiter.api.Test;

class OriginTest {
    private static final Address CONN = Address.of("1#10.0.0.7:51234");
    private static final Address ENC = Address.local("enc1");
    private static final Identifier PEER = new Identifier("I" + "ab".repeat(32));

    private static Origin.Channel channel(Address at, Origin carrier) {
        return new Origin.Channel(at, Optional.empty(), Optional.empty(), Optional.empty(), carrier);
    }

    @Test
    void localIsLocalWithinTheNodeAndHasNoEntry() {
        assertThat(Origin.LOCAL.isLocal()).isTrue();
        assertThat(Origin.LOCAL.isWithinNode()).isTrue();
        assertThat(Origin.LOCAL.entry()).isEmpty();
        assertThat(Origin.LOCAL).hasToString("local").isEqualTo(new Origin.Local());
    }

    @Test
    void transportIsNeitherLocalNorWithinTheNodeAndEntersByItsConnection() {
        for (boolean inbound : new boolean[] {true, false}) {
            Origin t = new Origin.Transport(CONN, inbound);
            assertThat(t.isLocal()).isFalse();
            assertThat(t.isWithinNode()).isFalse();
            assertThat(t.entry()).contains(CONN);
        }
        assertThat(new Origin.Transport(CONN, true)).hasToString("inbound connection 1#10.0.0.7:51234");
        assertThat(new Origin.Transport(CONN, false)).hasToString("outbound connection 1#10.0.0.7:51234");
        assertThatNullPointerException().isThrownBy(() -> new Origin.Transport(null, true));
    }

    @Test
    void channelEntersByItsChannelEndAndIsNeverLocal() {
        Origin.Channel overLocal = channel(ENC, Origin.LOCAL);
        Origin.Channel overTransport = channel(ENC, new Origin.Transport(CONN, true));
        assertThat(overLocal.isLocal()).isFalse();
        assertThat(overTransport.isLocal()).isFalse();
        assertThat(overLocal.entry()).contains(ENC);
        assertThat(overTransport.entry()).contains(ENC);
    }

    @Test
    void channelIsWithinTheNodeExactlyWhenItsCarrierIs() {
        assertThat(channel(ENC, Origin.LOCAL).isWithinNode()).isTrue();
        assertThat(channel(ENC, new Origin.Transport(CONN, true)).isWithinNode()).isFalse();
        assertThat(channel(ENC, new Origin.Transport(CONN, false)).isWithinNode()).isFalse();
    }

    @Test
    void nestedChannelsAreWithinTheNodeOnlyIfTheInnermostCarrierIsLocal() {
        Origin.Channel inner = channel(Address.local("inner"), Origin.LOCAL);
        Origin.Channel outer = channel(ENC, inner);
        Origin.Channel outermost = channel(Address.local("third"), outer);
        assertThat(outer.isWithinNode()).isTrue();
        assertThat(outermost.isWithinNode()).isTrue();

        Origin.Channel innerRemote = channel(Address.local("inner"), new Origin.Transport(CONN, true));
        Origin.Channel outerRemote = channel(ENC, innerRemote);
        assertThat(outerRemote.isWithinNode()).isFalse();
        assertThat(channel(Address.local("third"), outerRemote).isWithinNode()).isFalse();
        // The entry of a nested channel is its own end, not its carrier's.
        assertThat(outerRemote.entry()).contains(ENC);
    }

    @Test
    void channelToStringNamesThePeerWhenThereIsOne() {
        Origin anonymous = channel(ENC, Origin.LOCAL);
        Origin authenticated = new Origin.Channel(ENC, Optional.empty(), Optional.empty(), Optional.of(PEER), Origin.LOCAL);
        assertThat(anonymous).hasToString("secure channel enc1");
        assertThat(authenticated).hasToString("secure channel enc1 from " + PEER.value());
    }

    @Test
    void channelComponentsAreRequired() {
        Optional<Address> none = Optional.empty();
        assertThatNullPointerException().isThrownBy(() -> new Origin.Channel(null, none, none, Optional.empty(), Origin.LOCAL));
        assertThatNullPointerException().isThrownBy(() -> new Origin.Channel(ENC, null, none, Optional.empty(), Origin.LOCAL));
        assertThatNullPointerException().isThrownBy(() -> new Origin.Channel(ENC, none, null, Optional.empty(), Origin.LOCAL));
        assertThatNullPointerException().isThrownBy(() -> new Origin.Channel(ENC, none, none, null, Origin.LOCAL));
        assertThatNullPointerException().isThrownBy(() -> new Origin.Channel(ENC, none, none, Optional.empty(), null));
    }
}
