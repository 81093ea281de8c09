package org.hopseal.api.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.Optional;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Origin;
import org.junit.jupiter.api.Test;

class ExposureTest {
    private static final Address SELF = Address.local("svc");
    private static final Address OTHER_WORKER = Address.local("other");
    private static final Address CONN = Address.of("1#10.0.0.7:51234");
    private static final Address OTHER_CONN = Address.of("1#10.0.0.8:51234");
    private static final Address LISTENER = Address.local("secure");
    private static final Address OTHER_LISTENER = Address.local("elsewhere");
    private static final Address CHANNEL_END = Address.local("enc1");

    private static final Origin INBOUND = new Origin.Transport(CONN, true);
    private static final Origin OUTBOUND = new Origin.Transport(CONN, false);
    private static final Origin INBOUND_OTHER = new Origin.Transport(OTHER_CONN, true);
    private static final Origin OUTBOUND_OTHER = new Origin.Transport(OTHER_CONN, false);

    /** A channel accepted by {@code listener}, whose frames came over a connection. */
    private static Origin.Channel accepted(Address end, Address listener) {
        return new Origin.Channel(end, Optional.of(listener), Optional.empty(), Optional.empty(), INBOUND);
    }

    /** A channel {@code opener} initiated, whose frames came over a connection. */
    private static Origin.Channel openedBy(Address end, Address opener) {
        return new Origin.Channel(end, Optional.empty(), Optional.of(opener), Optional.empty(), OUTBOUND);
    }

    /** A channel accepted by {@code listener} whose both ends are in this node. */
    private static Origin.Channel withinNode(Address end, Address listener) {
        return new Origin.Channel(end, Optional.of(listener), Optional.empty(), Optional.empty(), Origin.LOCAL);
    }

    @Test
    void everyExposureAdmitsLocalCode() {
        for (Exposure e : List.of(Exposure.none(), Exposure.transports(), Exposure.channelsOf("secure"),
                Exposure.through(CONN), Exposure.everyone())) {
            assertThat(e.admits(Origin.LOCAL, SELF)).as("%s", e).isTrue();
        }
    }

    @Test
    void noneRefusesEveryConnectionAndOutsideChannel() {
        Exposure none = Exposure.none();
        assertThat(none.admits(INBOUND, SELF)).isFalse();
        assertThat(none.admits(OUTBOUND, SELF)).isFalse();
        assertThat(none.admits(accepted(CHANNEL_END, LISTENER), SELF)).isFalse();
        assertThat(none.admits(openedBy(CHANNEL_END, OTHER_WORKER), SELF)).isFalse();
        assertThat(new Origin.Channel(CHANNEL_END, Optional.empty(), Optional.empty(), Optional.empty(), INBOUND))
                .matches(c -> !none.admits(c, SELF));
    }

    @Test
    void transportsAdmitsInboundAndOutboundConnectionsButNoOutsideChannel() {
        Exposure t = Exposure.transports();
        assertThat(t.admits(INBOUND, SELF)).isTrue();
        assertThat(t.admits(OUTBOUND, SELF)).isTrue();
        assertThat(t.admits(INBOUND_OTHER, SELF)).isTrue();
        assertThat(t.admits(accepted(CHANNEL_END, LISTENER), SELF)).isFalse();
        assertThat(t.admits(openedBy(CHANNEL_END, OTHER_WORKER), SELF)).isFalse();
    }

    @Test
    void channelsOfAdmitsChannelsAcceptedByTheListedListenersOnly() {
        Exposure e = Exposure.channelsOf("secure");
        assertThat(e.admits(accepted(CHANNEL_END, LISTENER), SELF)).isTrue();
        assertThat(e.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isFalse();
        // A channel this node initiated has no listener at all.
        assertThat(e.admits(openedBy(CHANNEL_END, OTHER_WORKER), SELF)).isFalse();
        // The listener's name grants nothing to raw connections.
        assertThat(e.admits(INBOUND, SELF)).isFalse();
        assertThat(e.admits(new Origin.Transport(LISTENER, true), SELF)).isFalse();
        // An opener that happens to be the listener's address is not an accepting listener.
        assertThat(e.admits(openedBy(CHANNEL_END, LISTENER), SELF)).isFalse();
    }

    @Test
    void channelsOfTakesSeveralListenersAndTheTextFormOfAddresses() {
        Exposure e = Exposure.channelsOf("secure", "0#elsewhere");
        assertThat(e.admits(accepted(CHANNEL_END, LISTENER), SELF)).isTrue();
        assertThat(e.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isTrue();
        assertThat(e.admits(accepted(CHANNEL_END, Address.local("third")), SELF)).isFalse();
        assertThat(Exposure.channelsOf().admits(accepted(CHANNEL_END, LISTENER), SELF)).isFalse();
    }

    @Test
    void aChannelOpenedBySelfIsAdmittedByDefaultOneOpenedByAnotherIsNot() {
        Exposure none = Exposure.none();
        assertThat(none.admits(openedBy(CHANNEL_END, SELF), SELF)).isTrue();
        assertThat(none.admits(openedBy(CHANNEL_END, OTHER_WORKER), SELF)).isFalse();
        // The same origin seen by the other worker.
        assertThat(none.admits(openedBy(CHANNEL_END, OTHER_WORKER), OTHER_WORKER)).isTrue();
    }

    @Test
    void aChannelWithinTheNodeIsAdmittedByDefault() {
        Exposure none = Exposure.none();
        assertThat(none.admits(withinNode(CHANNEL_END, OTHER_LISTENER), SELF)).isTrue();
        Origin.Channel nested = new Origin.Channel(Address.local("outer"), Optional.empty(), Optional.empty(),
                Optional.empty(), withinNode(CHANNEL_END, OTHER_LISTENER));
        assertThat(none.admits(nested, SELF)).isTrue();
        Origin.Channel nestedOverTransport = new Origin.Channel(Address.local("outer"), Optional.empty(),
                Optional.empty(), Optional.empty(), accepted(CHANNEL_END, OTHER_LISTENER));
        assertThat(none.admits(nestedOverTransport, SELF)).isFalse();
    }

    @Test
    void throughAdmitsExactlyTheMatchingConnection() {
        Exposure e = Exposure.through(CONN);
        assertThat(e.admits(INBOUND, SELF)).isTrue();
        assertThat(e.admits(OUTBOUND, SELF)).isTrue();
        assertThat(e.admits(INBOUND_OTHER, SELF)).isFalse();
        assertThat(e.admits(OUTBOUND_OTHER, SELF)).isFalse();
        // A channel whose frames came over that connection entered by its own end, not by the connection.
        assertThat(e.admits(accepted(CHANNEL_END, LISTENER), SELF)).isFalse();
    }

    @Test
    void throughAdmitsExactlyTheMatchingChannelEnd() {
        Exposure e = Exposure.through(CHANNEL_END);
        assertThat(e.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isTrue();
        assertThat(e.admits(openedBy(CHANNEL_END, OTHER_WORKER), SELF)).isTrue();
        assertThat(e.admits(accepted(Address.local("enc2"), OTHER_LISTENER), SELF)).isFalse();
        assertThat(e.admits(openedBy(Address.local("enc2"), OTHER_WORKER), SELF)).isFalse();
        // A connection is not a channel end.
        assertThat(e.admits(INBOUND, SELF)).isFalse();
        assertThatNullPointerException().isThrownBy(() -> Exposure.through(null));
    }

    @Test
    void everyoneAdmitsEveryOrigin() {
        Exposure e = Exposure.everyone();
        assertThat(e.admits(INBOUND, SELF)).isTrue();
        assertThat(e.admits(OUTBOUND_OTHER, SELF)).isTrue();
        assertThat(e.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isTrue();
        assertThat(e.admits(openedBy(CHANNEL_END, OTHER_WORKER), SELF)).isTrue();
    }

    @Test
    void andTransportsKeepsListenersEntriesAndEveryChannel() {
        Exposure e = Exposure.channelsOf("secure").andTransports();
        assertThat(e.admits(INBOUND, SELF)).isTrue();
        assertThat(e.admits(accepted(CHANNEL_END, LISTENER), SELF)).isTrue();
        assertThat(e.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isFalse();

        Exposure through = Exposure.through(CHANNEL_END).andTransports();
        assertThat(through.admits(INBOUND_OTHER, SELF)).isTrue();
        assertThat(through.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isTrue();
        assertThat(through.admits(accepted(Address.local("enc2"), OTHER_LISTENER), SELF)).isFalse();

        assertThat(Exposure.everyone().andTransports().admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isTrue();
    }

    @Test
    void andChannelsOfKeepsTransportsEntriesEveryChannelAndEarlierListeners() {
        Exposure e = Exposure.transports().andChannelsOf("secure");
        assertThat(e.admits(INBOUND, SELF)).isTrue();
        assertThat(e.admits(accepted(CHANNEL_END, LISTENER), SELF)).isTrue();
        assertThat(e.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isFalse();

        Exposure both = Exposure.channelsOf("secure").andChannelsOf("elsewhere");
        assertThat(both.admits(accepted(CHANNEL_END, LISTENER), SELF)).isTrue();
        assertThat(both.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isTrue();
        assertThat(both.admits(INBOUND, SELF)).isFalse();

        Exposure through = Exposure.through(CONN).andChannelsOf("secure");
        assertThat(through.admits(INBOUND, SELF)).isTrue();
        assertThat(through.admits(INBOUND_OTHER, SELF)).isFalse();

        Exposure everyone = Exposure.everyone().andChannelsOf("secure");
        assertThat(everyone.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isTrue();
        assertThat(everyone.admits(INBOUND_OTHER, SELF)).isTrue();
    }

    @Test
    void combiningNeverChangesTheOriginal() {
        Exposure base = Exposure.channelsOf("secure");
        base.andTransports();
        base.andChannelsOf("elsewhere");
        assertThat(base.admits(INBOUND, SELF)).isFalse();
        assertThat(base.admits(accepted(CHANNEL_END, OTHER_LISTENER), SELF)).isFalse();
        Exposure.none().andTransports();
        Exposure.none().andChannelsOf("secure");
        assertThat(Exposure.none().admits(INBOUND, SELF)).isFalse();
        assertThat(Exposure.none().admits(accepted(CHANNEL_END, LISTENER), SELF)).isFalse();
    }

    @Test
    void toStringNamesWhatIsOpen() {
        assertThat(Exposure.none()).hasToString("local code and own channels");
        assertThat(Exposure.transports()).hasToString("local code and own channels, transports");
        assertThat(Exposure.everyone()).hasToString("local code and own channels, transports, every channel");
        assertThat(Exposure.channelsOf("secure")).hasToString("local code and own channels, channels of [secure]");
        assertThat(Exposure.through(CONN)).hasToString("local code and own channels, through [1#10.0.0.7:51234]");
    }
}
