package org.hopseal.core.channel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's X3DH prekeys: one signed prekey (signed by the identity key IK with XEdDSA) and one-time prekeys,
 * each handed out in exactly one bundle and consumed by at most one exchange. A one-time prekey that was never
 * handed out, or was consumed already, rejects the exchange.
 *
 * <p>Two kinds. An {@linkplain #ephemeral ephemeral} store (a listener with its own throw-away IK) keeps everything in
 * memory and deletes it on {@link #close}. A {@linkplain #persistent persistent} store (a listener of an entity,
 * whose IK outlives it) keeps its keys as persistent keys of the channel vault and its state (signed prekey, next
 * id, the one-time prekeys handed out and not yet consumed) as a record of the identity vault, written before a
 * bundle leaves and before an exchange uses its prekey: with a persistent vault, a restarted listener keeps its
 * signed prekey, still accepts the prekeys it handed out, and never accepts a consumed one again. A store whose
 * record or keys are gone (a vault that keeps nothing) starts afresh.
 *
 * <p>Thread safety: thread safe.
 */
final class PrekeyStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrekeyStore.class);
    /** One-time prekeys an ephemeral store makes at a time when it runs out. */
    static final int BATCH = 32;
    /** At most this many handed-out prekeys wait for their initial message; the oldest are dropped first. */
    static final int MAX_OUTSTANDING = 4096;
    /** The record name prefix of persistent stores. */
    static final String RECORD_PREFIX = "x3dh-prekeys/";

    record SignedPrekey(AgreementKeyHandle key, PublicKey publicKey, byte[] signature) {
    }

    record OneTimePrekey(long id, AgreementKeyHandle key, PublicKey publicKey) {
    }

    private final SecureChannelVault vault;
    private final AgreementKeyHandle identityKey;
    private final Persistence persistence;
    /** Where the state is kept, or {@code null} when it lives in memory only. */
    private final SigningVault records;
    private final String recordName;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<OneTimePrekey> fresh = new ArrayDeque<>();
    private final Map<Long, OneTimePrekey> handedOut = new LinkedHashMap<>();
    private SignedPrekey signedPrekey;
    private long nextId = 1;
    private boolean kept;

    private PrekeyStore(SecureChannelVault vault, AgreementKeyHandle identityKey, SigningVault records, String recordName) {
        this.vault = vault;
        this.identityKey = identityKey;
        this.records = records;
        this.recordName = recordName;
        this.persistence = records == null ? Persistence.EPHEMERAL : Persistence.PERSISTENT;
    }

    /** A store in memory only, deleted on {@link #close}. */
    static PrekeyStore ephemeral(SecureChannelVault vault, AgreementKeyHandle identityKey) throws HopsealException {
        PrekeyStore store = new PrekeyStore(vault, identityKey, null, null);
        store.signedPrekey = store.newSignedPrekey();
        return store;
    }

    /** The store of listener {@code listener} with identity key {@code identityKey}, loaded from the vaults if there. */
    static PrekeyStore persistent(Vaults vaults, AgreementKeyHandle identityKey, String listener) throws HopsealException {
        SecureChannelVault vault = vaults.channel();
        String name = RECORD_PREFIX + HexFormat.of().formatHex(vault.publicKey(identityKey).bytes()) + "/" + listener;
        PrekeyStore store = new PrekeyStore(vault, identityKey, vaults.identity(), name);
        store.lock.lock();
        try {
            if (!store.load()) {
                store.signedPrekey = store.newSignedPrekey();
            }
            store.kept = true;
            store.save();
        } finally {
            store.lock.unlock();
        }
        return store;
    }

    private SignedPrekey newSignedPrekey() throws HopsealException {
        AgreementKeyHandle spk = vault.generateAgreementKey(KeyType.X25519, persistence);
        try {
            PublicKey spkPublic = vault.publicKey(spk);
            return new SignedPrekey(spk, spkPublic, vault.xeddsaSign(identityKey, spkPublic.bytes()));
        } catch (HopsealException e) {
            // An identity key that cannot sign with XEdDSA (one on a token) leaves no prekey behind.
            try {
                vault.delete(spk);
            } catch (HopsealException ignored) {
                // the failure that matters is e
            }
            throw e;
        }
    }

    /** Loads the stored state; {@code false} if there is none to use (absent, corrupt, or its signed prekey is gone). */
    private boolean load() throws HopsealException {
        byte[] bytes = records.record(recordName).orElse(null);
        if (bytes == null) {
            return false;
        }
        StoredPrekeys stored;
        try {
            stored = StoredPrekeys.decode(bytes);
        } catch (DecodeException e) {
            LOG.warn("the stored X3DH prekeys {} are unreadable ({}); starting with new prekeys", recordName, e.getMessage());
            return false;
        }
        AgreementKeyHandle spk = new AgreementKeyHandle(stored.signedPrekeyId(), KeyType.X25519);
        PublicKey spkPublic = publicKeyIfPresent(spk);
        if (spkPublic == null) {
            LOG.info("the signed prekey of {} is no longer in the vault; starting with new prekeys", recordName);
            return false;
        }
        signedPrekey = new SignedPrekey(spk, spkPublic, stored.signature());
        nextId = stored.nextId();
        for (StoredPrekeys.Outstanding o : stored.outstanding()) {
            AgreementKeyHandle key = new AgreementKeyHandle(o.keyId(), KeyType.X25519);
            PublicKey pub = publicKeyIfPresent(key);
            if (pub != null) {
                handedOut.put(o.id(), new OneTimePrekey(o.id(), key, pub));
            }
        }
        LOG.debug("loaded X3DH prekeys {}: {} one-time prekeys outstanding", recordName, handedOut.size());
        return true;
    }

    private PublicKey publicKeyIfPresent(AgreementKeyHandle key) throws VaultException {
        try {
            return vault.publicKey(key);
        } catch (VaultException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** Writes the state; a vault that keeps no records makes this store an in-memory one for good. */
    private void save() throws HopsealException {
        if (!kept) {
            return;
        }
        List<StoredPrekeys.Outstanding> outstanding = new ArrayList<>(handedOut.size());
        handedOut.values().forEach(o -> outstanding.add(new StoredPrekeys.Outstanding(o.id(), o.key().id())));
        byte[] bytes = new StoredPrekeys(signedPrekey.key().id(), signedPrekey.signature(), nextId, outstanding).encode();
        try {
            records.putRecord(recordName, bytes);
        } catch (VaultException e) {
            if (e.kind() != ErrorKind.UNSUPPORTED) {
                throw e;
            }
            kept = false;
        }
    }

    SignedPrekey signedPrekey() {
        return signedPrekey;
    }

    AgreementKeyHandle identityKey() {
        return identityKey;
    }

    /** Hands out a one-time prekey, never to be handed out again. */
    OneTimePrekey handOut() throws HopsealException {
        lock.lock();
        try {
            if (fresh.isEmpty()) {
                // A persistent store makes each key when it hands it out, so that every key it holds is in its record.
                int batch = persistence == Persistence.PERSISTENT ? 1 : BATCH;
                for (int i = 0; i < batch; i++) {
                    AgreementKeyHandle k = vault.generateAgreementKey(KeyType.X25519, persistence);
                    fresh.add(new OneTimePrekey(nextId++, k, vault.publicKey(k)));
                }
            }
            OneTimePrekey opk = fresh.poll();
            handedOut.put(opk.id(), opk);
            AgreementKeyHandle dropped = null;
            if (handedOut.size() > MAX_OUTSTANDING) {
                Long oldest = handedOut.keySet().iterator().next();
                dropped = handedOut.remove(oldest).key();
            }
            save();
            if (dropped != null) {
                vault.delete(dropped);
            }
            return opk;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a handed-out prekey for one exchange; the caller deletes its key after use. */
    OneTimePrekey consume(long id) throws HopsealException {
        lock.lock();
        try {
            OneTimePrekey opk = handedOut.remove(id);
            if (opk == null) {
                throw new HandshakeException(ErrorKind.PROTOCOL, "one-time prekey " + id + " is unknown or was already used");
            }
            save();
            return opk;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the store. An ephemeral one deletes every prekey; a persistent one leaves its keys and record for the
     * listener's next start.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (kept) {
                return;
            }
            List<AgreementKeyHandle> all = new ArrayList<>();
            all.add(signedPrekey.key());
            fresh.forEach(o -> all.add(o.key()));
            handedOut.values().forEach(o -> all.add(o.key()));
            for (AgreementKeyHandle k : all) {
                try {
                    vault.delete(k);
                } catch (HopsealException ignored) {
                    // already gone
                }
            }
            fresh.clear();
            handedOut.clear();
        } finally {
            lock.unlock();
        }
    }
}
