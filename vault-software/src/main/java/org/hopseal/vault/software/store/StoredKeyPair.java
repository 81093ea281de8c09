package org.hopseal.vault.software.store;

import java.util.Arrays;
import java.util.Objects;
import org.hopseal.api.vault.KeyType;

/** A persistent key pair as stored: its handle id, its type and its private key (the public key is derived again). */
public final class StoredKeyPair {
    private final String id;
    private final KeyType type;
    private final byte[] privateKey;

    /** Takes {@code privateKey} itself, not a copy: {@link #wipe} clears the caller's array. */
    public StoredKeyPair(String id, KeyType type, byte[] privateKey) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    }

    public String id() {
        return id;
    }

    public KeyType type() {
        return type;
    }

    /** The private key itself, not a copy; valid until {@link #wipe}. */
    public byte[] privateKey() {
        return privateKey;
    }

    /** Overwrites the private key with zeros. */
    public void wipe() {
        Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "StoredKeyPair{" + id + ", " + type + "}";
    }
}
