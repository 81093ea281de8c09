package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * A channel peer's attributes on their own: they hold until the instant they expire and not at it; a verified peer
 * carries them beside (never inside) its handshake identity.
 */
class PeerAttributesTest {
    private static final Instant EXPIRES = Instant.parse("2026-03-01T12:00:00Z");
    private static final Map<String, String> WEB = Map.of("role", "web", "env", "prod");
    private static final PeerIdentity BASE = new PeerIdentity(new Identifier("I" + "a1".repeat(32)), new PublicKey(KeyType.ED25519, new byte[32]));

    @Test
    void attributesHoldUntilTheirExpiryAndDropExactlyAtIt() {
        PeerAttributes web = new PeerAttributes(WEB, EXPIRES);

        assertThat(web.at(EXPIRES.minusSeconds(3600))).isSameAs(web);
        assertThat(web.at(EXPIRES.minusNanos(1))).isSameAs(web);
        assertThat(web.at(EXPIRES)).isSameAs(PeerAttributes.NONE);
        assertThat(web.at(EXPIRES.plusNanos(1))).isSameAs(PeerAttributes.NONE);
    }

    @Test
    void noAttributesNeverExpire() {
        assertThat(PeerAttributes.NONE.values()).isEmpty();
        assertThat(PeerAttributes.NONE.expires()).isNull();
        assertThat(PeerAttributes.NONE.at(Instant.MAX)).isSameAs(PeerAttributes.NONE);
        assertThat(new PeerAttributes(Map.of(), null).at(Instant.EPOCH)).isEqualTo(PeerAttributes.NONE);
    }

    @Test
    void attributesNeedAnExpiryAndAnExpiryNeedsNoAttributes() {
        assertThatThrownBy(() -> new PeerAttributes(WEB, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attributes need an expiry");
        assertThat(new PeerAttributes(Map.of(), EXPIRES).at(EXPIRES.minusNanos(1)).expires()).isEqualTo(EXPIRES);
        assertThat(new PeerAttributes(WEB, EXPIRES).values()).isEqualTo(WEB);
    }

    @Test
    void theValuesAreACopyThatCannotChange() {
        Map<String, String> values = new HashMap<>(WEB);
        PeerAttributes attributes = new PeerAttributes(values, EXPIRES);
        values.put("role", "admin");

        assertThat(attributes.values()).isEqualTo(WEB);
        assertThatThrownBy(() -> attributes.values().put("role", "admin")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aVerifiedPeerKeepsItsAttributesBesideItsIdentityAndShowsThemThroughIt() {
        VerifiedPeer peer = new VerifiedPeer(BASE.withAttributes(Map.of("role", "admin")), new PeerAttributes(WEB, EXPIRES));

        assertThat(peer.base().attributes()).as("the handshake identity carries no attributes of its own").isEmpty();
        assertThat(peer.base().identifier()).isEqualTo(BASE.identifier());
        assertThat(peer.identity()).isEqualTo(BASE.withAttributes(WEB));
        assertThat(new VerifiedPeer(BASE.withAttributes(Map.of("role", "admin")), PeerAttributes.NONE).identity().attributes())
                .as("attributes come from credentials only").isEmpty();
    }

    @Test
    void aVerifiedPeerLosesItsAttributesExactlyWhenTheyExpire() {
        VerifiedPeer peer = new VerifiedPeer(BASE, new PeerAttributes(WEB, EXPIRES));

        assertThat(peer.at(EXPIRES.minusNanos(1))).isEqualTo(peer);
        assertThat(peer.at(EXPIRES).attributes()).isSameAs(PeerAttributes.NONE);
        assertThat(peer.at(EXPIRES).identity()).isEqualTo(BASE);
        assertThat(peer.with(new PeerAttributes(Map.of("role", "api"), EXPIRES.plusSeconds(60))).identity().attributes())
                .isEqualTo(Map.of("role", "api"));
    }

    @Test
    void aVerifiedPeerNeedsAnIdentityAndAttributes() {
        assertThatThrownBy(() -> new VerifiedPeer(null, PeerAttributes.NONE)).isInstanceOf(NullPointerException.class).hasMessage("base");
        assertThatThrownBy(() -> new VerifiedPeer(BASE, null)).isInstanceOf(NullPointerException.class).hasMessage("attributes");
    }
}
