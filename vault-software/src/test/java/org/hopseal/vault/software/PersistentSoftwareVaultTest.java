package org.hopseal.vault.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.vault.software.store.StoredKeyPair;
import org.hopseal.vault.software.store.StoredState;
import org.hopseal.vault.software.store.VaultStore;
import org.junit.jupiter.api.Test;

/**
 * The persistence seam: a persistent software vault gives its store the whole persistent state after every change
 * of it (and nothing for ephemeral keys), wipes the private keys once the store returns, undoes a change the store
 * refused, and starts from a stored state.
 */
class PersistentSoftwareVaultTest {
    private static final byte[] P256_PRIVATE = HexFormat.of().parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");

    /** A store that keeps copies of what it was given, and the states themselves to check they were wiped. */
    private static final class RecordingStore implements VaultStore {
        final List<StoredState> given = new ArrayList<>();
        final List<Map<String, byte[]>> privateKeys = new ArrayList<>();
        final List<Map<String, byte[]>> records = new ArrayList<>();
        boolean refuse;

        @Override
        public void save(StoredState state) throws VaultException {
            given.add(state);
            Map<String, byte[]> keys = new TreeMap<>();
            state.keyPairs().forEach(k -> keys.put(k.id() + "/" + k.type(), k.privateKey().clone()));
            privateKeys.add(keys);
            Map<String, byte[]> recs = new TreeMap<>();
            state.records().forEach((name, value) -> recs.put(name, value.clone()));
            records.add(recs);
            if (refuse) {
                throw new VaultException(ErrorKind.UNAVAILABLE, "the disk is full");
            }
        }

        Map<String, byte[]> lastKeys() {
            return privateKeys.getLast();
        }
    }

    private static SoftwareVault open(RecordingStore store) throws VaultException {
        return SoftwareVault.persistent(StoredState.empty(), store);
    }

    private static ErrorKind kindOf(Throwable e) {
        return ((VaultException) e).kind();
    }

    @Test
    void everyPersistentKeyIsStoredWithAPrivateKeyThatMatchesItsPublicKey() throws Exception {
        RecordingStore store = new RecordingStore();
        try (SoftwareVault v = open(store)) {
            SigningKeyHandle ed = v.generateSigningKey(KeyType.ED25519);
            AgreementKeyHandle x = v.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT);
            AgreementKeyHandle imported = v.importAgreementKey(KeyType.P256_ECDH, P256_PRIVATE, Persistence.PERSISTENT);
            assertThat(store.given).hasSize(3);
            Map<String, byte[]> keys = store.lastKeys();
            assertThat(keys).containsOnlyKeys(ed.id() + "/ED25519", x.id() + "/X25519", imported.id() + "/P256_ECDH");
            byte[] edPublic = new byte[Ed25519.PUBLIC_KEY_SIZE];
            Ed25519.generatePublicKey(keys.get(ed.id() + "/ED25519"), 0, edPublic, 0);
            assertThat(edPublic).isEqualTo(v.publicKey(ed).bytes());
            byte[] xPublic = new byte[X25519.POINT_SIZE];
            X25519.scalarMultBase(keys.get(x.id() + "/X25519"), 0, xPublic, 0);
            assertThat(xPublic).isEqualTo(v.publicKey(x).bytes());
            assertThat(keys.get(imported.id() + "/P256_ECDH")).isEqualTo(P256_PRIVATE);
        }
    }

    @Test
    void ephemeralKeysAndSecretsAreNeverStored() throws Exception {
        RecordingStore store = new RecordingStore();
        try (SoftwareVault v = open(store)) {
            v.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
            v.importAgreementKey(KeyType.P256_ECDH, P256_PRIVATE, Persistence.EPHEMERAL);
            v.delete(v.importSecret(new byte[] {1, 2, 3}));
            assertThat(store.given).isEmpty();
            v.generateSigningKey(KeyType.ECDSA_P256);
            assertThat(store.lastKeys()).hasSize(1);
        }
    }

    @Test
    void theStoredPrivateKeysAreWipedOnceTheStoreReturns() throws Exception {
        RecordingStore store = new RecordingStore();
        try (SoftwareVault v = open(store)) {
            v.generateSigningKey(KeyType.ED25519);
            v.putRecord("r", new byte[] {1});
            assertThat(store.given).hasSize(2);
            for (StoredState state : store.given) {
                for (StoredKeyPair k : state.keyPairs()) {
                    assertThat(k.privateKey()).as("private key of %s after save", k.id()).containsOnly(0);
                }
            }
            assertThat(store.lastKeys().values()).allSatisfy(k -> assertThat(k).isNotEqualTo(new byte[k.length]));
        }
    }

    @Test
    void aKeyTheStoreRefusedIsNotKeptAndItsStateIsWipedToo() throws Exception {
        RecordingStore store = new RecordingStore();
        try (SoftwareVault v = open(store)) {
            SigningKeyHandle kept = v.generateSigningKey(KeyType.ED25519);
            store.refuse = true;
            assertThatThrownBy(() -> v.generateSigningKey(KeyType.ED25519)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("disk is full");
            assertThatThrownBy(() -> v.generateAgreementKey(KeyType.X25519, Persistence.PERSISTENT)).isInstanceOf(VaultException.class);
            assertThatThrownBy(() -> v.importAgreementKey(KeyType.P256_ECDH, P256_PRIVATE, Persistence.PERSISTENT))
                    .isInstanceOf(VaultException.class);
            assertThat(v.signingKeys()).containsExactly(kept);
            assertThat(v.agreementKeys()).isEmpty();
            assertThat(v.size()).as("nothing refused is left in memory").isEqualTo(1);
            assertThat(store.given.getLast().keyPairs()).allSatisfy(k -> assertThat(k.privateKey()).containsOnly(0));
        }
    }

    @Test
    void aDeletionTheStoreRefusedKeepsTheKeyUsable() throws Exception {
        RecordingStore store = new RecordingStore();
        try (SoftwareVault v = open(store)) {
            SigningKeyHandle key = v.generateSigningKey(KeyType.ED25519);
            store.refuse = true;
            assertThatThrownBy(() -> v.delete(key)).isInstanceOf(VaultException.class).hasMessageContaining("disk is full");
            assertThat(store.records).hasSize(2);
            assertThat(store.lastKeys()).as("the state offered lacked the key").isEmpty();
            byte[] signature = v.sign(key, new byte[] {1});
            new SoftwareVerifier().verify(v.publicKey(key), new byte[] {1}, signature);
            store.refuse = false;
            v.delete(key);
            assertThat(store.lastKeys()).isEmpty();
            assertThatThrownBy(() -> v.sign(key, new byte[] {1})).satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.NOT_FOUND));
            assertThatThrownBy(() -> v.delete(key)).satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.NOT_FOUND));
        }
    }

    @Test
    void recordChangesTheStoreRefusedAreUndone() throws Exception {
        RecordingStore store = new RecordingStore();
        try (SoftwareVault v = open(store)) {
            v.putRecord("kept", new byte[] {1});
            store.refuse = true;
            assertThatThrownBy(() -> v.putRecord("kept", new byte[] {2})).isInstanceOf(VaultException.class);
            assertThatThrownBy(() -> v.putRecord("new", new byte[] {3})).isInstanceOf(VaultException.class);
            assertThatThrownBy(() -> v.deleteRecord("kept")).isInstanceOf(VaultException.class);
            assertThat(v.recordNames()).containsExactly("kept");
            assertThat(v.record("kept")).hasValueSatisfying(r -> assertThat(r).containsExactly(1));
            assertThat(store.records.get(1).get("kept")).as("the refused replacement was offered").containsExactly(2);
        }
    }

    @Test
    void recordsAreStoredAfterEachChangeAndDeletingNothingStoresNothing() throws Exception {
        RecordingStore store = new RecordingStore();
        try (SoftwareVault v = open(store)) {
            byte[] value = {1, 2};
            v.putRecord("b", value);
            value[0] = 9;
            v.putRecord("a", new byte[] {3});
            assertThat(store.records.getLast()).containsOnlyKeys("a", "b");
            assertThat(store.records.getLast().get("b")).as("the vault keeps its own copy").containsExactly(1, 2);
            v.deleteRecord("none");
            assertThat(store.given).hasSize(2);
            v.deleteRecord("b");
            assertThat(store.records.getLast()).containsOnlyKeys("a");
            v.record("a").orElseThrow()[0] = 7;
            assertThat(v.record("a")).as("readers get copies").hasValueSatisfying(r -> assertThat(r).containsExactly(3));
        }
    }

    @Test
    void aVaultStartsFromTheStoredStateWithTheStoredIds() throws Exception {
        RecordingStore first = new RecordingStore();
        PublicKey ed;
        SigningKeyHandle handle;
        try (SoftwareVault v = open(first)) {
            handle = v.generateSigningKey(KeyType.ED25519);
            ed = v.publicKey(handle);
            v.generateAgreementKey(KeyType.P256_ECDH, Persistence.PERSISTENT);
            v.putRecord("identity", new byte[] {4});
        }
        List<StoredKeyPair> pairs = new ArrayList<>();
        first.lastKeys().forEach((idAndType, priv) -> {
            String[] parts = idAndType.split("/");
            pairs.add(new StoredKeyPair(parts[0], KeyType.valueOf(parts[1]), priv));
        });
        byte[] record = {4};
        StoredState restored = new StoredState(pairs, Map.of("identity", record));
        RecordingStore second = new RecordingStore();
        try (SoftwareVault v = SoftwareVault.persistent(restored, second)) {
            record[0] = 0;
            restored.wipe();
            assertThat(v.find(ed)).contains(handle);
            new SoftwareVerifier().verify(ed, new byte[] {5}, v.sign(handle, new byte[] {5}));
            assertThat(v.agreementKeys()).hasSize(1);
            assertThat(v.record("identity")).hasValueSatisfying(r -> assertThat(r).containsExactly(4));
            assertThat(second.given).as("starting is not a change").isEmpty();
        }
    }

    @Test
    void anInvalidStoredKeyIsRefused() {
        StoredState bad = new StoredState(List.of(new StoredKeyPair("k", KeyType.ECDSA_P256, new byte[32])), Map.of());
        assertThatThrownBy(() -> SoftwareVault.persistent(bad, new RecordingStore())).isInstanceOf(VaultException.class)
                .hasMessageContaining("not a valid P-256 private key")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.INVALID));
    }

    @Test
    void aClosedVaultRefusesEveryOperationAndStoresNothing() throws Exception {
        RecordingStore store = new RecordingStore();
        SoftwareVault v = open(store);
        SigningKeyHandle key = v.generateSigningKey(KeyType.ED25519);
        v.putRecord("r", new byte[] {1});
        v.close();
        v.close();
        int saves = store.given.size();
        List<ThrowingCall> calls = List.of(() -> v.putRecord("r", new byte[] {2}), () -> v.deleteRecord("r"),
                () -> v.record("r"), v::recordNames, () -> v.generateSigningKey(KeyType.ED25519), () -> v.sign(key, new byte[1]),
                () -> v.delete(key), v::signingKeys, v::agreementKeys, () -> v.find(new PublicKey(KeyType.ED25519, new byte[32])),
                () -> v.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL), () -> v.importSecret(new byte[1]));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(VaultException.class).hasMessageContaining("closed")
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ErrorKind.SHUTDOWN));
        }
        assertThat(store.given).hasSize(saves);
        assertThat(v.size()).isZero();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void anInMemoryVaultKeepsRecordsWithoutAStore() throws Exception {
        try (SoftwareVault v = new SoftwareVault()) {
            v.putRecord("r", new byte[] {1});
            v.deleteRecord("absent");
            assertThat(v.recordNames()).containsExactly("r");
            v.deleteRecord("r");
            assertThat(v.recordNames()).isEmpty();
        }
    }

    @Test
    void storedStateIsReadOnlyAndNamesNoSecretWhenPrinted() {
        byte[] priv = new byte[32];
        Arrays.fill(priv, (byte) 0x7F);
        StoredKeyPair pair = new StoredKeyPair("id-1", KeyType.X25519, priv);
        StoredState state = new StoredState(List.of(pair), Map.of("name", new byte[] {1}));
        assertThat(state.toString()).isEqualTo("StoredState{1 key pairs, 1 records}");
        assertThat(pair.toString()).isEqualTo("StoredKeyPair{id-1, X25519}");
        assertThat(pair.privateKey()).isSameAs(priv);
        assertThatThrownBy(() -> state.keyPairs().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> state.records().clear()).isInstanceOf(UnsupportedOperationException.class);
        state.wipe();
        assertThat(priv).containsOnly(0);
        assertThat(StoredState.empty().keyPairs()).isEmpty();
        assertThat(StoredState.empty().records()).isEmpty();
        assertThatThrownBy(() -> new StoredKeyPair(null, KeyType.X25519, priv)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StoredKeyPair("id", null, priv)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StoredKeyPair("id", KeyType.X25519, null)).isInstanceOf(NullPointerException.class);
    }
}
