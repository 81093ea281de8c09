package org.hopseal.core.channel;

import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecureChannelVault;

/**
 * A listener's X3DH prekeys: one signed prekey (signed by the identity key IK with XEdDSA) and one-time prekeys,
 * each handed out in exactly one bundle and consumed by at most one exchange. A one-time prekey that was never
 * handed out, or was consumed already, rejects the exchange. Kept in memory for the listener's lifetime.
 *
 * <p>Thread safety: thread safe.
 */
final class PrekeyStore {
    /** One-time prekeys made at a time when the store runs out. */
    static final int BATCH = 32;
    /** At most this many handed-out prekeys wait for their initial message; the oldest are dropped first. */
    static final int MAX_OUTSTANDING = 4096;

    record SignedPrekey(AgreementKeyHandle key, PublicKey publicKey, byte[] signature) {
    }

    record OneTimePrekey(long id, AgreementKeyHandle key, PublicKey publicKey) {
    }

    private final SecureChannelVault vault;
    private final AgreementKeyHandle identityKey;
    private final SignedPrekey signedPrekey;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.ArrayDeque<OneTimePrekey> fresh = new java.util.ArrayDeque<>();
    private final Map<Long, OneTimePrekey> handedOut = new java.util.LinkedHashMap<>();
    private long nextId = 1;

    PrekeyStore(SecureChannelVault vault, AgreementKeyHandle identityKey) throws HopsealException {
        this.vault = vault;
        this.identityKey = identityKey;
        AgreementKeyHandle spk = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
        PublicKey spkPublic = vault.publicKey(spk);
        this.signedPrekey = new SignedPrekey(spk, spkPublic, vault.xeddsaSign(identityKey, spkPublic.bytes()));
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
                for (int i = 0; i < BATCH; i++) {
                    AgreementKeyHandle k = vault.generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL);
                    fresh.add(new OneTimePrekey(nextId++, k, vault.publicKey(k)));
                }
            }
            OneTimePrekey opk = fresh.poll();
            handedOut.put(opk.id(), opk);
            if (handedOut.size() > MAX_OUTSTANDING) {
                Long oldest = handedOut.keySet().iterator().next();
                vault.delete(handedOut.remove(oldest).key());
            }
            return opk;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a handed-out prekey for one exchange; the caller deletes its key after use. */
    OneTimePrekey consume(long id) throws HandshakeException {
        lock.lock();
        try {
            OneTimePrekey opk = handedOut.remove(id);
            if (opk == null) {
                throw new HandshakeException(ErrorKind.PROTOCOL, "one-time prekey " + id + " is unknown or was already used");
            }
            return opk;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes every prekey. */
    void destroy() {
        lock.lock();
        try {
            java.util.List<AgreementKeyHandle> all = new java.util.ArrayList<>();
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
