package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Imported contacts are remembered with the key now in force, one per identifier; {@code verifyPeer} verifies a peer
 * met outside a channel (its history and the credentials it presents) without making it a contact.
 */
class CoreEntityContactsTest {
    private Node node;
    private Context ctx;
    private final List<Vaults> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = Node.start();
        ctx = node.context();
    }

    @AfterEach
    void stop() {
        node.stop();
        opened.forEach(Vaults::close);
    }

    private CoreEntity entity() throws Exception {
        Vaults v = SoftwareVault.vaults();
        opened.add(v);
        return CoreEntity.create(ctx, v);
    }

    @Test
    void anImportedContactIsListedWithItsCurrentKeyOncePerIdentifier() throws Exception {
        CoreEntity alice = entity();
        CoreEntity bob = entity();
        assertThat(bob.contacts()).isEmpty();

        PeerIdentity imported = bob.importContact(alice.exportContact().encoded());
        alice.rotateKey();
        bob.importContact(alice.exportContact().encoded());

        assertThat(imported.identifier()).isEqualTo(alice.identifier());
        assertThat(bob.contacts()).containsExactly(new PeerIdentity(alice.identifier(), alice.changeHistory().currentKey()));
    }

    @Test
    void anEntityPrintsAsItsIdentifier() throws Exception {
        CoreEntity alice = entity();

        assertThat(alice).hasToString("Entity{" + alice.identifier() + "}");
    }

    @Test
    void aTrustedAuthoritysCredentialGivesItsAttributesAndThePeerIsNotAContact() throws Exception {
        CoreEntity verifier = entity();
        CoreEntity authority = entity();
        CoreEntity reader = entity();
        Credential c = authority.issueCredential(reader.identifier(), Map.of("role", "analytics"), Duration.ofHours(1));

        PeerIdentity peer = verifier.verifyPeer(reader.changeHistory().encoded(), List.of(c), Set.of(authority.identifier()));

        assertThat(peer.identifier()).isEqualTo(reader.identifier());
        assertThat(peer.identityKey()).isEqualTo(reader.changeHistory().currentKey());
        assertThat(peer.attributes()).containsExactlyEntriesOf(Map.of("role", "analytics"));
        assertThat(verifier.contacts()).isEmpty();
    }

    @Test
    void credentialsOfAnUntrustedAuthorityOrWithNoAuthoritiesGiveNoAttributes() throws Exception {
        CoreEntity verifier = entity();
        CoreEntity authority = entity();
        CoreEntity reader = entity();
        Credential c = authority.issueCredential(reader.identifier(), Map.of("role", "analytics"), Duration.ofHours(1));

        assertThat(verifier.verifyPeer(reader.changeHistory().encoded(), List.of(c), Set.of()).attributes()).isEmpty();
        assertThat(verifier.verifyPeer(reader.changeHistory().encoded(), List.of(c), Set.of(verifier.identifier())).attributes()).isEmpty();
    }

    @Test
    void aCredentialAboutAnotherSubjectIsRefused() throws Exception {
        CoreEntity verifier = entity();
        CoreEntity authority = entity();
        CoreEntity reader = entity();
        CoreEntity other = entity();
        Credential c = authority.issueCredential(other.identifier(), Map.of("role", "analytics"), Duration.ofHours(1));

        assertThatThrownBy(() -> verifier.verifyPeer(reader.changeHistory().encoded(), List.of(c), Set.of(authority.identifier())))
                .isInstanceOf(CredentialException.class);
    }

    @Test
    void aHistoryThatEndsAtARotatedAwayKeyIsRefusedOnceTheRotationIsKnown() throws Exception {
        CoreEntity verifier = entity();
        CoreEntity reader = entity();
        byte[] before = reader.changeHistory().encoded();
        reader.rotateKey();
        verifier.verifyPeer(reader.changeHistory().encoded(), List.of(), Set.of());

        assertThatThrownBy(() -> verifier.verifyPeer(before, List.of(), Set.of())).isInstanceOf(HopsealException.class);
        assertThatThrownBy(() -> verifier.verifyPeer(new byte[] {1, 2, 3}, List.of(), Set.of())).isInstanceOf(HopsealException.class);
    }
}
