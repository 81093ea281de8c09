package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where {@link KnownIdentities} keeps what it learned: which histories are persisted in the vault's records, the bound
 * on how many, vaults without records, and the messages that say why a history was refused.
 */
class KnownIdentitiesRecordsTest {
    private static final String PREFIX = KnownIdentities.RECORD_PREFIX;

    private Vaults v;
    private Records records;

    @BeforeEach
    void open() {
        v = SoftwareVault.vaults();
        records = new Records();
    }

    @AfterEach
    void close() {
        v.close();
    }

    /** The histories of one new identity after 1, 2, ..., {@code length} changes. */
    private List<List<IdentityChange>> histories(int length) throws HopsealException {
        List<SigningKeyHandle> keys = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            keys.add(v.identity().generateSigningKey(KeyType.ED25519));
        }
        List<List<IdentityChange>> out = new ArrayList<>();
        List<IdentityChange> h = IdentityHistory.create(v.identity(), keys.get(0));
        out.add(h);
        for (int i = 1; i < length; i++) {
            h = IdentityHistory.rotate(h, v.verifier(), v.identity(), keys.get(i - 1), keys.get(i));
            out.add(h);
        }
        return out;
    }

    private ChangeHistory accept(KnownIdentities known, List<IdentityChange> history) throws HopsealException {
        return known.accept(IdentityHistory.encode(history), v.verifier(), records, 32);
    }

    private Identifier idOf(List<IdentityChange> history) throws HopsealException {
        return IdentityHistory.identifier(v.verifier(), history);
    }

    /** {@code n} record names that look like known histories of other identities. */
    private void fillWithOtherKnownHistories(int n) {
        for (int i = 0; i < n; i++) {
            records.map.put(PREFIX + "I" + String.format("%064x", i), new byte[] {1});
        }
    }

    @Test
    void aRotatedHistoryIsPersistedAsItsEncodingAndAnUnrotatedOneIsNot() throws HopsealException {
        List<List<IdentityChange>> h = histories(2);
        KnownIdentities known = new KnownIdentities();

        accept(known, h.get(0));
        assertThat(records.map).as("a single change supersedes nothing").isEmpty();
        accept(known, h.get(1));

        assertThat(records.map).containsOnlyKeys(PREFIX + idOf(h.get(0)));
        assertThat(records.map.get(PREFIX + idOf(h.get(0)))).isEqualTo(IdentityHistory.encode(h.get(1)));
    }

    @Test
    void aPrefixIsRefusedNamingTheChangeThatSupersededIt() throws HopsealException {
        List<List<IdentityChange>> h = histories(3);
        KnownIdentities known = new KnownIdentities();
        accept(known, h.get(2));

        assertHopsealError(ErrorKind.UNTRUSTED, () -> accept(known, h.get(0)))
                .isInstanceOf(IdentityException.class)
                .hasMessage("the history of " + idOf(h.get(0)) + " ends at change 0, whose key change 1 superseded (the known history"
                        + " has 3 changes): refused");
        assertThatThrownBy(() -> accept(known, h.get(1))).hasMessageContaining("ends at change 1, whose key change 2 superseded");
    }

    @Test
    void atTheBoundOfPersistedHistoriesANewIdentityIsKeptInMemoryOnly() throws HopsealException {
        fillWithOtherKnownHistories(KnownIdentities.MAX_PERSISTED);
        List<List<IdentityChange>> h = histories(2);
        KnownIdentities known = new KnownIdentities();

        accept(known, h.get(1));

        assertThat(records.map).doesNotContainKey(PREFIX + idOf(h.get(0))).hasSize(KnownIdentities.MAX_PERSISTED);
        assertThatThrownBy(() -> accept(known, h.get(0))).as("still known in memory").hasMessageContaining("superseded");
    }

    @Test
    void oneBelowTheBoundANewIdentityIsStillPersisted() throws HopsealException {
        fillWithOtherKnownHistories(KnownIdentities.MAX_PERSISTED - 1);
        List<List<IdentityChange>> h = histories(2);

        accept(new KnownIdentities(), h.get(1));

        assertThat(records.map).containsKey(PREFIX + idOf(h.get(0))).hasSize(KnownIdentities.MAX_PERSISTED);
    }

    @Test
    void recordsOtherThanKnownHistoriesDoNotCountTowardsTheBound() throws HopsealException {
        for (int i = 0; i < KnownIdentities.MAX_PERSISTED; i++) {
            records.map.put("identity/I" + String.format("%064x", i), new byte[] {1});
        }
        List<List<IdentityChange>> h = histories(2);

        accept(new KnownIdentities(), h.get(1));

        assertThat(records.map).containsKey(PREFIX + idOf(h.get(0)));
    }

    @Test
    void atTheBoundAnIdentityPersistedBeforeIsStillUpdated() throws HopsealException {
        List<List<IdentityChange>> h = histories(3);
        String name = PREFIX + idOf(h.get(0));
        accept(new KnownIdentities(), h.get(1));
        fillWithOtherKnownHistories(KnownIdentities.MAX_PERSISTED - 1);
        assertThat(records.map).containsKey(name).hasSize(KnownIdentities.MAX_PERSISTED);

        // A restarted node: it learns the two-change history from the record, then a third change.
        KnownIdentities restarted = new KnownIdentities();
        assertThat(accept(restarted, h.get(2)).keys()).hasSize(3);

        assertThat(records.map.get(name)).isEqualTo(IdentityHistory.encode(h.get(2)));
    }

    @Test
    void aRestartedNodeRefusesAForkOfThePersistedHistory() throws HopsealException {
        List<List<IdentityChange>> h = histories(2);
        accept(new KnownIdentities(), h.get(1));
        SigningKeyHandle root = v.identity().find(h.get(0).get(0).key()).orElseThrow();
        List<IdentityChange> fork = IdentityHistory.rotate(h.get(0), v.verifier(), v.identity(), root,
                v.identity().generateSigningKey(KeyType.ED25519));

        assertThatThrownBy(() -> accept(new KnownIdentities(), fork))
                .isInstanceOf(IdentityException.class).hasMessageContaining("forks from the known one at change 1");
    }

    @Test
    void aCorruptOrForeignRecordIsIgnoredAndReplacedByTheVerifiedHistory() throws HopsealException {
        List<List<IdentityChange>> alice = histories(2);
        List<List<IdentityChange>> bob = histories(2);
        String aliceName = PREFIX + idOf(alice.get(0));
        records.map.put(aliceName, IdentityHistory.encode(bob.get(1)));

        assertThat(accept(new KnownIdentities(), alice.get(0)).identifier()).as("bob's history is no record of alice's")
                .isEqualTo(idOf(alice.get(0)));
        records.map.put(aliceName, new byte[] {9, 9, 9});
        assertThat(accept(new KnownIdentities(), alice.get(1)).keys()).hasSize(2);
        assertThat(records.map.get(aliceName)).isEqualTo(IdentityHistory.encode(alice.get(1)));
    }

    @Test
    void aVaultThatKeepsNoRecordsStillRemembersInMemory() throws HopsealException {
        List<List<IdentityChange>> h = histories(2);
        KnownIdentities known = new KnownIdentities();
        Records noRecords = new Records(new VaultException(ErrorKind.UNSUPPORTED, "this vault stores no records"));

        known.accept(IdentityHistory.encode(h.get(1)), v.verifier(), noRecords, 32);

        assertThat(noRecords.map).isEmpty();
        assertThatThrownBy(() -> known.accept(IdentityHistory.encode(h.get(0)), v.verifier(), noRecords, 32))
                .hasMessageContaining("superseded");
    }

    @Test
    void aVaultThatFailsToStoreTheRecordFailsTheAcceptance() throws HopsealException {
        List<List<IdentityChange>> h = histories(2);
        Records failing = new Records(new VaultException(ErrorKind.UNAVAILABLE, "disk full"));

        assertThatThrownBy(() -> new KnownIdentities().accept(IdentityHistory.encode(h.get(1)), v.verifier(), failing, 32))
                .isInstanceOf(VaultException.class).hasMessage("disk full");
    }

    @Test
    void aHistoryLoadedFromTheVaultOnOneThreadCanBeAcceptedOnAnother() throws Exception {
        List<List<IdentityChange>> h = histories(3);
        accept(new KnownIdentities(), h.get(1));
        KnownIdentities restarted = new KnownIdentities();
        accept(restarted, h.get(1)); // loads the record on this thread

        CompletableFuture<ChangeHistory> other = CompletableFuture.supplyAsync(() -> {
            try {
                return accept(restarted, h.get(2));
            } catch (HopsealException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(other.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS).keys()).hasSize(3);
    }

    /** A vault that keeps only records (in memory), or fails to store them with {@code putFailure}. */
    private static final class Records implements SigningVault {
        final Map<String, byte[]> map = new TreeMap<>();
        private final VaultException putFailure;

        Records() {
            this(null);
        }

        Records(VaultException putFailure) {
            this.putFailure = putFailure;
        }

        @Override
        public void putRecord(String name, byte[] value) throws VaultException {
            if (putFailure != null) {
                throw putFailure;
            }
            map.put(name, value.clone());
        }

        @Override
        public Optional<byte[]> record(String name) {
            return Optional.ofNullable(map.get(name)).map(byte[]::clone);
        }

        @Override
        public List<String> recordNames() {
            return List.copyOf(map.keySet());
        }

        @Override
        public Set<KeyType> signingKeyTypes() {
            return Set.of();
        }

        @Override
        public SigningKeyHandle generateSigningKey(KeyType type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PublicKey publicKey(SigningKeyHandle key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<SigningKeyHandle> find(PublicKey publicKey) {
            return Optional.empty();
        }

        @Override
        public List<SigningKeyHandle> signingKeys() {
            return List.of();
        }

        @Override
        public byte[] sign(SigningKeyHandle key, byte[] data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(SigningKeyHandle key) {
            throw new UnsupportedOperationException();
        }
    }
}
