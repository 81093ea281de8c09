package org.hopseal.core.identity;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Verifier;
import org.hopseal.core.log.LogText;
import org.hopseal.core.node.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The longest verified change history a node has seen for each identifier, so that a rotation revokes: a history
 * is accepted only if it equals or extends the one known. A prefix (ending at a key that was rotated away) or a fork
 * is refused, naming the change that superseded it. Known histories are kept in memory per node and, where a vault
 * keeps records, as the record {@code known-identity/<identifier>} of the vault of the entity that verified them, so
 * that a restarted node still refuses what it refused before. Only histories of two or more changes are persisted (a
 * single change supersedes nothing), at most {@value #MAX_PERSISTED} per vault; at most {@value #MAX_IN_MEMORY} are
 * kept in memory, the least recently used forgotten first, so that peers making up identities cannot grow either
 * without bound.
 *
 * <p>Verification is incremental: the changes of a presented history that equal the known ones cost no signature
 * check; only an extension is verified (two checks per change). A history of more than the configured number of
 * changes is refused before any signature is checked.
 *
 * <p>Thread safety: thread safe; updates of one identifier are serialized.
 */
final class KnownIdentities {
    private static final Logger LOG = LoggerFactory.getLogger(KnownIdentities.class);
    /** The vault record name prefix of known histories. */
    static final String RECORD_PREFIX = "known-identity/";
    /** The default bound on the changes of a history presented in a handshake. */
    static final int DEFAULT_MAX_CHANGES = 32;
    /** The most known histories kept in memory. */
    static final int MAX_IN_MEMORY = 16_384;
    /** The most known histories persisted in one vault. */
    static final int MAX_PERSISTED = 4_096;

    private record Known(List<IdentityChange> changes, ChangeHistory history) {
    }

    private final Map<Identifier, Known> known = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identifier, Known> eldest) {
            return size() > MAX_IN_MEMORY;
        }
    };
    private final ReentrantLock lock = new ReentrantLock();

    /** The known identities of {@code node}. */
    static KnownIdentities of(Node node) {
        return node.service(KnownIdentities.class, KnownIdentities::new);
    }

    /**
     * Verifies {@code encoded} against the history known for its identifier and returns it verified; a longer one
     * becomes the known history. {@code records} is the vault where known histories persist (if it keeps records).
     */
    ChangeHistory accept(byte[] encoded, Verifier verifier, SigningVault records, int maxChanges) throws HopsealException {
        List<IdentityChange> changes = IdentityHistory.decode(encoded);
        if (changes.size() > maxChanges) {
            throw new IdentityException(ErrorKind.INVALID, "an identity history of " + changes.size()
                    + " changes exceeds the limit of " + maxChanges);
        }
        Identifier id = IdentityHistory.identifier(verifier, changes);
        Known k = known(id, verifier, records);
        if (k != null) {
            int common = Math.min(changes.size(), k.changes().size());
            for (int i = 0; i < common; i++) {
                if (!Arrays.equals(changes.get(i).body(), k.changes().get(i).body())) {
                    throw new IdentityException(ErrorKind.UNTRUSTED, "the history of " + id + " forks from the known one at change "
                            + i + ": refused");
                }
            }
            if (changes.size() < k.changes().size()) {
                throw new IdentityException(ErrorKind.UNTRUSTED, "the history of " + id + " ends at change " + (changes.size() - 1)
                        + ", whose key change " + changes.size() + " superseded (the known history has " + k.changes().size()
                        + " changes): refused");
            }
            if (changes.size() == k.changes().size()) {
                return k.history();
            }
        }
        ChangeHistory verified = IdentityHistory.verifyExtension(k == null ? List.of() : k.changes(), changes, verifier, encoded);
        remember(id, new Known(changes, verified), records);
        return verified;
    }

    /** The history known for {@code id}, if any: from memory, or else from {@code records}. */
    Optional<ChangeHistory> history(Identifier id, Verifier verifier, SigningVault records) throws HopsealException {
        return Optional.ofNullable(known(id, verifier, records)).map(Known::history);
    }

    /** The known history of {@code id}: from memory, or else from {@code records}. */
    private Known known(Identifier id, Verifier verifier, SigningVault records) throws HopsealException {
        Known k = inMemory(id);
        if (k != null) {
            return k;
        }
        byte[] stored = records.record(RECORD_PREFIX + id).orElse(null);
        if (stored == null) {
            return null;
        }
        try {
            List<IdentityChange> changes = IdentityHistory.decode(stored);
            ChangeHistory history = IdentityHistory.verify(changes, verifier, stored);
            if (!history.identifier().equals(id)) {
                throw new IdentityException(ErrorKind.INVALID, "the record is of another identity");
            }
            k = new Known(changes, history);
        } catch (IdentityException e) {
            LOG.warn("ignoring the stored known history of {}: {}", id, LogText.of(e.getMessage()));
            return null;
        }
        lock.lock();
        try {
            Known raced = known.putIfAbsent(id, k);
            return raced != null ? raced : k;
        } finally {
            lock.unlock();
        }
    }

    private Known inMemory(Identifier id) {
        lock.lock();
        try {
            return known.get(id);
        } finally {
            lock.unlock();
        }
    }

    /** Keeps {@code candidate} if it is longer than what is known by now (another handshake may have raced). */
    private void remember(Identifier id, Known candidate, SigningVault records) throws HopsealException {
        lock.lock();
        try {
            Known current = known.get(id);
            if (current != null && current.changes().size() >= candidate.changes().size()) {
                return;
            }
            known.put(id, candidate);
            if (candidate.changes().size() > 1) {
                persist(id, candidate, records);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void persist(Identifier id, Known candidate, SigningVault records) throws HopsealException {
        try {
            String name = RECORD_PREFIX + id;
            if (records.record(name).isEmpty()
                    && records.recordNames().stream().filter(n -> n.startsWith(RECORD_PREFIX)).count() >= MAX_PERSISTED) {
                LOG.debug("not persisting the history of {}: {} known histories are stored already", id, MAX_PERSISTED);
                return;
            }
            records.putRecord(name, candidate.history().encoded());
        } catch (VaultException e) {
            if (e.kind() != ErrorKind.UNSUPPORTED) {
                throw e;
            }
        }
    }
}
