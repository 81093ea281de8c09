package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bounds of a listener's X3DH state that take thousands of exchanges to reach. */
class PrekeyBoundsTest {
    private final Vaults vaults = SoftwareVault.vaults();

    @AfterEach
    void stop() {
        vaults.close();
    }

    /** Thousands of key pairs (seconds): run by the build, not per mutant. */
    @Test
    @Tag("slow")
    void atMostMaxOutstandingPrekeysWaitAndTheOldestIsDroppedFirst() throws Exception {
        PrekeyStore store = PrekeyStore.ephemeral(vaults.channel(), vaults.channel().generateAgreementKey(KeyType.X25519,
                Persistence.EPHEMERAL));
        try {
            long first = store.handOut().id();
            long second = store.handOut().id();
            for (int i = 2; i < PrekeyStore.MAX_OUTSTANDING; i++) {
                store.handOut();
            }
            assertThat(store.consume(first).id()).as("the oldest waits while there are MAX_OUTSTANDING").isEqualTo(first);
            store.handOut();
            store.handOut();
            assertHopsealError(ErrorKind.PROTOCOL, () -> store.consume(second)).hasMessageContaining("unknown or was already used");
        } finally {
            store.close();
        }
    }
}
