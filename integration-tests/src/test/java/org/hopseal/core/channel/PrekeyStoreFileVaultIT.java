package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.file.FileVault;
import org.hopseal.vault.file.KdfParameters;
import org.hopseal.vault.software.SoftwareVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a file vault, a listener's X3DH prekeys outlive the process that made them: closed and reopened from disk. */
class PrekeyStoreFileVaultIT {
    private static final KdfParameters QUICK = new KdfParameters(64 * 1024, 3, 1);

    @TempDir
    Path dir;

    private Vaults open() throws HopsealException {
        FileVault v = FileVault.open(dir.resolve("bob.vault"), "prekeys it".toCharArray(), QUICK);
        return new Vaults(v, v, new SoftwareVerifier());
    }

    @Test
    void handedOutPrekeysSurviveAReopenAndConsumedOnesStayConsumed() throws Exception {
        AgreementKeyHandle ik;
        PrekeyStore.SignedPrekey spk;
        PrekeyStore.OneTimePrekey kept;
        long used;
        try (Vaults vaults = open()) {
            ik = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            PrekeyStore store = PrekeyStore.persistent(vaults, ik, "bob");
            spk = store.signedPrekey();
            kept = store.handOut();
            used = store.handOut().id();
            vaults.channel().delete(store.consume(used).key());
        }
        try (Vaults vaults = open()) {
            PrekeyStore store = PrekeyStore.persistent(vaults, ik, "bob");
            assertThat(store.signedPrekey().publicKey()).isEqualTo(spk.publicKey());
            assertThat(store.signedPrekey().signature()).isEqualTo(spk.signature());
            assertThatThrownBy(() -> store.consume(used)).isInstanceOf(HopsealException.class)
                    .hasMessageContaining("already used");
            PrekeyStore.OneTimePrekey back = store.consume(kept.id());
            assertThat(vaults.channel().publicKey(back.key())).isEqualTo(kept.publicKey());
            vaults.channel().delete(back.key());
        }
        try (Vaults vaults = open()) {
            PrekeyStore store = PrekeyStore.persistent(vaults, ik, "bob");
            assertThatThrownBy(() -> store.consume(kept.id())).isInstanceOf(HopsealException.class);
            assertThat(vaults.channel().agreementKeys()).as("IK and SPK only: consumed prekeys are gone from the file")
                    .containsExactlyInAnyOrder(ik, spk.key());
        }
    }
}
