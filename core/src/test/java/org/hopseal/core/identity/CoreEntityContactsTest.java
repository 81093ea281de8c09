package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Imported contacts are remembered with the key now in force, one per identifier. */
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
}
