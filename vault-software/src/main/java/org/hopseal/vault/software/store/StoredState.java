package org.hopseal.vault.software.store;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a persistent software vault stores: its persistent key pairs, sorted by id, and its records, sorted by name.
 * Records are public; the key pairs hold private keys, which {@link #wipe} clears.
 */
public final class StoredState {
    private final List<StoredKeyPair> keyPairs;
    private final SortedMap<String, byte[]> records;

    /** Takes the key pairs themselves (wiped by {@link #wipe}) and a copy of the map of records. */
    public StoredState(List<StoredKeyPair> keyPairs, Map<String, byte[]> records) {
        this.keyPairs = List.copyOf(keyPairs);
        this.records = Collections.unmodifiableSortedMap(new TreeMap<>(records));
    }

    /** Nothing stored: a new vault. */
    public static StoredState empty() {
        return new StoredState(List.of(), Map.of());
    }

    public List<StoredKeyPair> keyPairs() {
        return keyPairs;
    }

    /** The records by name; the arrays are the state's own. */
    public SortedMap<String, byte[]> records() {
        return records;
    }

    /** Overwrites every private key with zeros. */
    public void wipe() {
        keyPairs.forEach(StoredKeyPair::wipe);
    }

    @Override
    public String toString() {
        return "StoredState{" + keyPairs.size() + " key pairs, " + records.size() + " records}";
    }
}
