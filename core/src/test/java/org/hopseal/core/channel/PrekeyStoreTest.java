package org.hopseal.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.util.HexFormat;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A listener's prekeys: handed out once, consumed once, and kept across listener restarts with the vault. */
class PrekeyStoreTest {
    private final Vaults vaults = SoftwareVault.vaults();
    private final AgreementKeyHandle ik;

    PrekeyStoreTest() throws HopsealException {
        ik = vaults.channel().generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
    }

    @AfterEach
    void close() {
        vaults.close();
    }

    private String recordName(String listener) throws HopsealException {
        return PrekeyStore.RECORD_PREFIX + HexFormat.of().formatHex(vaults.channel().publicKey(ik).bytes()) + "/" + listener;
    }

    @Test
    void aRestartedListenerKeepsItsSignedPrekeyAndAcceptsWhatItHandedOut() throws Exception {
        PrekeyStore first = PrekeyStore.persistent(vaults, ik, "bob");
        PrekeyStore.OneTimePrekey a = first.handOut();
        PrekeyStore.OneTimePrekey b = first.handOut();
        first.close();

        PrekeyStore second = PrekeyStore.persistent(vaults, ik, "bob");
        assertThat(second.signedPrekey().publicKey()).isEqualTo(first.signedPrekey().publicKey());
        assertThat(second.signedPrekey().signature()).isEqualTo(first.signedPrekey().signature());
        assertThat(second.consume(b.id()).publicKey()).isEqualTo(b.publicKey());
        assertThat(second.consume(a.id()).key()).isEqualTo(a.key());
        assertThat(second.handOut().id()).as("ids are never reused").isGreaterThan(b.id());
    }

    @Test
    void aConsumedPrekeyIsRejectedAfterARestart() throws Exception {
        PrekeyStore first = PrekeyStore.persistent(vaults, ik, "bob");
        long id = first.handOut().id();
        first.consume(id);
        first.close();
        PrekeyStore second = PrekeyStore.persistent(vaults, ik, "bob");
        assertHopsealError(ErrorKind.PROTOCOL, () -> second.consume(id))
                .hasMessageContaining("unknown or was already used");
    }

    @Test
    void listenersOfOneIdentityKeepSeparateStores() throws Exception {
        PrekeyStore one = PrekeyStore.persistent(vaults, ik, "one");
        PrekeyStore two = PrekeyStore.persistent(vaults, ik, "two");
        long id = one.handOut().id();
        assertThat(two.signedPrekey().publicKey()).isNotEqualTo(one.signedPrekey().publicKey());
        assertThatThrownBy(() -> two.consume(id)).isInstanceOf(HopsealException.class);
        assertThat(vaults.identity().recordNames()).contains(recordName("one"), recordName("two"));
    }

    @Test
    void aCorruptRecordStartsAfreshWithoutFailing() throws Exception {
        PrekeyStore first = PrekeyStore.persistent(vaults, ik, "bob");
        long id = first.handOut().id();
        vaults.identity().putRecord(recordName("bob"), new byte[] {1, 2, 3});
        PrekeyStore second = PrekeyStore.persistent(vaults, ik, "bob");
        assertThat(second.signedPrekey().publicKey()).isNotEqualTo(first.signedPrekey().publicKey());
        assertThatThrownBy(() -> second.consume(id)).isInstanceOf(HopsealException.class);
        assertThat(StoredPrekeys.decode(vaults.identity().record(recordName("bob")).orElseThrow()).signedPrekeyId())
                .isEqualTo(second.signedPrekey().key().id());
    }

    @Test
    void aSignedPrekeyGoneFromTheVaultStartsAfresh() throws Exception {
        PrekeyStore first = PrekeyStore.persistent(vaults, ik, "bob");
        vaults.channel().delete(first.signedPrekey().key());
        PrekeyStore second = PrekeyStore.persistent(vaults, ik, "bob");
        assertThat(vaults.channel().publicKey(second.signedPrekey().key())).isEqualTo(second.signedPrekey().publicKey());
        assertThat(second.signedPrekey().key()).isNotEqualTo(first.signedPrekey().key());
    }

    @Test
    void aVaultWithoutRecordsGivesAStoreThatCleansUpAfterItself() throws Exception {
        SigningVault noRecords = new SigningVault() {
            @Override
            public java.util.Set<KeyType> signingKeyTypes() {
                return java.util.Set.of();
            }

            @Override
            public org.hopseal.api.vault.SigningKeyHandle generateSigningKey(KeyType type) throws VaultException {
                throw new VaultException(ErrorKind.UNSUPPORTED, "none");
            }

            @Override
            public org.hopseal.api.vault.PublicKey publicKey(org.hopseal.api.vault.SigningKeyHandle key) throws VaultException {
                throw new VaultException(ErrorKind.NOT_FOUND, "none");
            }

            @Override
            public java.util.Optional<org.hopseal.api.vault.SigningKeyHandle> find(org.hopseal.api.vault.PublicKey publicKey) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.List<org.hopseal.api.vault.SigningKeyHandle> signingKeys() {
                return java.util.List.of();
            }

            @Override
            public byte[] sign(org.hopseal.api.vault.SigningKeyHandle key, byte[] data) throws VaultException {
                throw new VaultException(ErrorKind.NOT_FOUND, "none");
            }

            @Override
            public void delete(org.hopseal.api.vault.SigningKeyHandle key) {
            }
        };
        PrekeyStore store = PrekeyStore.persistent(vaults.withIdentity(noRecords), ik, "bob");
        PrekeyStore.OneTimePrekey opk = store.handOut();
        store.close();
        assertThatThrownBy(() -> vaults.channel().publicKey(opk.key())).isInstanceOf(VaultException.class)
                .extracting(e -> ((VaultException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThatThrownBy(() -> vaults.channel().publicKey(store.signedPrekey().key())).isInstanceOf(VaultException.class);
    }

    @Test
    void anEphemeralStoreDeletesEveryPrekeyOnClose() throws Exception {
        PrekeyStore store = PrekeyStore.ephemeral(vaults.channel(), ik);
        PrekeyStore.OneTimePrekey opk = store.handOut();
        assertThat(vaults.identity().recordNames()).noneMatch(n -> n.startsWith(PrekeyStore.RECORD_PREFIX));
        store.close();
        assertThatThrownBy(() -> vaults.channel().publicKey(opk.key())).isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> vaults.channel().publicKey(store.signedPrekey().key())).isInstanceOf(VaultException.class);
    }

    @Test
    void storedPrekeysRoundTripAndRejectTruncation() throws Exception {
        StoredPrekeys s = new StoredPrekeys("spk", new byte[64], 7, java.util.List.of(new StoredPrekeys.Outstanding(5, "k5")));
        byte[] bytes = s.encode();
        StoredPrekeys back = StoredPrekeys.decode(bytes);
        assertThat(back.signedPrekeyId()).isEqualTo("spk");
        assertThat(back.nextId()).isEqualTo(7);
        assertThat(back.outstanding()).containsExactly(new StoredPrekeys.Outstanding(5, "k5"));
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> StoredPrekeys.decode(cut)).isInstanceOf(org.hopseal.api.error.DecodeException.class);
        }
    }
}
