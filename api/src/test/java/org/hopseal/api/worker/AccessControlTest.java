package org.hopseal.api.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.junit.jupiter.api.Test;

/** Access controls: allow-all, and by verified peer identifier read from the origin only. */
class AccessControlTest {
    private static final Identifier ALICE = new Identifier("I" + "a".repeat(64));
    private static final Identifier BOB = new Identifier("I" + "b".repeat(64));
    private static final Identifier CAROL = new Identifier("I" + "c".repeat(64));
    private static final Origin TCP = new Origin.Transport(Address.tcp("10.0.0.1:4000"), true);

    private static LocalMessage from(Origin origin) {
        return new LocalMessage(TransportMessage.wrap(Route.of("svc"), Route.of("app"), new byte[0])).withOrigin(origin);
    }

    private static Origin channelOf(Identifier peer) {
        return new Origin.Channel(Address.of("d"), Optional.of(Address.of("listener")), Optional.empty(), Optional.ofNullable(peer), TCP);
    }

    @Test
    void allowAllAllowsEveryOrigin() {
        AccessControl all = AccessControl.allowAll();

        assertThat(all.isAuthorized(from(Origin.LOCAL))).isTrue();
        assertThat(all.isAuthorized(from(TCP))).isTrue();
        assertThat(all.isAuthorized(from(channelOf(ALICE)))).isTrue();
    }

    @Test
    void identifiersAllowsOnlyChannelsFromTheListedPeers() {
        AccessControl aliceOrBob = AccessControl.identifiers(ALICE, BOB);

        assertThat(aliceOrBob.isAuthorized(from(channelOf(ALICE)))).isTrue();
        assertThat(aliceOrBob.isAuthorized(from(channelOf(BOB)))).isTrue();
        assertThat(aliceOrBob.isAuthorized(from(channelOf(CAROL)))).isFalse();
        assertThat(aliceOrBob.isAuthorized(from(channelOf(null)))).as("a channel without an identity").isFalse();
        assertThat(aliceOrBob.isAuthorized(from(TCP))).isFalse();
        assertThat(aliceOrBob.isAuthorized(from(Origin.LOCAL))).as("no channel, no identifier").isFalse();
    }

    @Test
    void aMadeUpIdentifierInTheLocalInformationGrantsNothing() {
        AccessControl alice = AccessControl.identifiers(ALICE);

        assertThat(alice.isAuthorized(from(Origin.LOCAL).withLocalInfo("peer_identifier", ALICE.value()))).isFalse();
        assertThat(alice.isAuthorized(from(TCP).withLocalInfo("peer_identifier", ALICE.value()))).isFalse();
    }

    @Test
    void noIdentifiersAllowNobody() {
        assertThat(AccessControl.identifiers().isAuthorized(from(channelOf(ALICE)))).isFalse();
    }
}
