package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * A channel end's check of its peer on its own: the authenticator verifies, the trust policy decides on the peer
 * with its attributes (and says which it saw when it refuses), and without an authenticator there is no peer.
 */
class PeerCheckTest {
    private static final Identifier AUTHORITY = new Identifier("I" + "c3".repeat(32));
    private static final PeerIdentity BASE = new PeerIdentity(new Identifier("I" + "a1".repeat(32)), new PublicKey(KeyType.ED25519, new byte[32]));
    private static final Instant EXPIRES = Instant.parse("2026-03-01T12:00:00Z");
    private static final TrustPolicy WEB_ONLY = peer -> "web".equals(peer.attributes().get("role"));

    /** Answers with {@link #peer} and {@link #refreshed}, and keeps what it was asked. */
    private static final class FakeAuthenticator implements ChannelAuthenticator {
        VerifiedPeer peer;
        PeerAttributes refreshed = PeerAttributes.NONE;
        final List<Object> asked = new ArrayList<>();

        @Override
        public AgreementKeyHandle staticKey() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] identityPayload(byte[] binding, boolean asInitiator, List<Credential> credentials) {
            asked.add(credentials);
            return new byte[] {7};
        }

        @Override
        public VerifiedPeer verifyPeer(byte[] payload, byte[] binding, PublicKey remoteStatic, boolean peerIsInitiator,
                int maxIdentityChanges, Set<Identifier> authorities) {
            asked.add(maxIdentityChanges);
            asked.add(authorities);
            return peer;
        }

        @Override
        public PeerAttributes verifyCredentials(PeerIdentity peer, List<byte[]> credentials, Set<Identifier> authorities) {
            asked.add(peer);
            asked.add(authorities);
            return refreshed;
        }
    }

    private final FakeAuthenticator authenticator = new FakeAuthenticator();

    private PeerCheck check(TrustPolicy policy) {
        return new PeerCheck(authenticator, policy, 5, Set.of(AUTHORITY), CredentialSource.none());
    }

    private static VerifiedPeer peer(Map<String, String> attributes) {
        return new VerifiedPeer(BASE, attributes.isEmpty() ? PeerAttributes.NONE : new PeerAttributes(attributes, EXPIRES));
    }

    @Test
    void aPeerThePolicyAcceptsWithItsAttributesIsVerified() throws Exception {
        authenticator.peer = peer(Map.of("role", "web"));

        assertThat(check(WEB_ONLY).verify(new byte[1], new byte[32], BASE.identityKey(), true)).isSameAs(authenticator.peer);
        assertThat(authenticator.asked).containsExactly(5, Set.of(AUTHORITY));
    }

    @Test
    void aRefusedPeerIsNamedWithTheAttributesThePolicySaw() {
        authenticator.peer = peer(Map.of("role", "db"));
        assertThatThrownBy(() -> check(WEB_ONLY).verify(new byte[1], new byte[32], BASE.identityKey(), true))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNTRUSTED))
                .hasMessage("the trust policy refused peer " + BASE.identifier() + " with attributes {role=db}");

        authenticator.peer = peer(Map.of());
        assertThatThrownBy(() -> check(WEB_ONLY).verify(new byte[1], new byte[32], BASE.identityKey(), false))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNTRUSTED))
                .hasMessage("the trust policy refused peer " + BASE.identifier() + " (no attributes)");
    }

    @Test
    void withoutAnAuthenticatorThereIsNoPeerAndNoPayload() throws Exception {
        PeerCheck none = new PeerCheck(null, peer -> false, 5, Set.of(), CredentialSource.none());

        assertThat(none.verify(new byte[1], new byte[32], BASE.identityKey(), true)).isNull();
        assertThat(none.payload(new byte[32], true)).isEmpty();
    }

    @Test
    void thePayloadPresentsWhatTheSourceHoldsNow() throws Exception {
        List<Credential> presented = List.of();
        PeerCheck check = new PeerCheck(authenticator, peer -> true, 5, Set.of(), () -> presented);

        assertThat(check.payload(new byte[32], true)).containsExactly(7);
        assertThat(authenticator.asked).containsExactly(presented);
    }

    @Test
    void thePolicyIsAskedAgainOnThePeersCurrentAttributes() {
        PeerCheck check = check(WEB_ONLY);
        VerifiedPeer web = peer(Map.of("role", "web"));

        assertThat(check.accepts(web)).isTrue();
        assertThat(check.accepts(web.at(EXPIRES))).as("expired").isFalse();
        assertThat(check.accepts(peer(Map.of("role", "db")))).isFalse();
    }

    @Test
    void aRefreshIsVerifiedForTheHandshakeIdentityAgainstTheTrustedAuthorities() throws Exception {
        authenticator.refreshed = new PeerAttributes(Map.of("role", "api"), EXPIRES);

        assertThat(check(WEB_ONLY).verifyRefresh(peer(Map.of("role", "web")), List.of(new byte[1]))).isSameAs(authenticator.refreshed);
        assertThat(authenticator.asked).containsExactly(BASE, Set.of(AUTHORITY));
    }
}
