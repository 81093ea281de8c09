package org.hopseal.kafka;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SecretHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer's epochs, one current per topic: a random data key, wrapped to every reader the policy allows whose
 * announcement verifies, published on the key topic before the first record uses it, replaced after the configured
 * time or number of records.
 */
final class ProducerEpochs {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerEpochs.class);
    private static final int DATA_KEY_LENGTH = 32;
    /** Reader announcements kept at most: those of readers the policy allows, so this is a backstop. */
    static final int MAX_ANNOUNCEMENTS = 10_000;
    private static final String READER_PREFIX = "reader/";

    private final Participant me;
    private final KeyTopic keys;
    private final HopsealKafkaConfig config;
    private final TrustPolicy readers;
    /** The readers listed when no policy may admit others, else {@code null}. */
    private final Set<Identifier> listedOnly;
    private final long maxRecords;
    private final long rotateMillis;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * The latest announcement of each reader the policy allowed when it was read from the key topic, verified then:
     * junk under made-up keys costs one check when read and takes no room, so it cannot crowd out a real reader.
     */
    private final Map<String, byte[]> announcements = new LinkedHashMap<>();
    private final Map<String, Epoch> current = new HashMap<>();
    /** The epochs this producer made, so that it re-signs exactly those after a key rotation. */
    private final OwnEpochs own;
    /** Own epoch keys read from the key topic that carry an older history of this producer than its current one. */
    private final List<EpochKey> stale = new ArrayList<>();
    /** The history whose epoch keys were last checked, {@code null} before the first epoch. */
    private byte[] checkedHistory;
    /** Epochs replaced, whose key handles are deleted at a later replacement once no record is encrypting with them. */
    private final List<Epoch> retired = new ArrayList<>();

    ProducerEpochs(Participant me, KeyTopic keys, HopsealKafkaConfig config, Clock clock) {
        this.me = me;
        this.keys = keys;
        this.config = config;
        this.readers = config.readers();
        this.listedOnly = config.listedReadersOnly();
        this.own = new OwnEpochs(me);
        this.maxRecords = config.getLong(HopsealKafkaConfig.ROTATE_RECORDS);
        this.rotateMillis = config.rotateInterval().toMillis();
        this.clock = clock;
    }

    /** One epoch: its id, its data key, the next sequence number and how many slots are taken and not yet done. */
    record Epoch(byte[] id, AeadKeyHandle key, Instant created, AtomicLong next, AtomicInteger inUse) {
    }

    /**
     * A sequence number in the current epoch of {@code topic}, starting a new epoch when the current one is spent. The
     * caller calls {@link Slot#done()} when it has encrypted with it; until then the epoch's key is not deleted.
     */
    Slot next(String topic) {
        lock.lock();
        try {
            Epoch e = current.get(topic);
            if (e == null || clock.millis() - e.created().toEpochMilli() >= rotateMillis || e.next().get() >= maxRecords) {
                e = start(topic);
            }
            e.inUse().incrementAndGet();
            return new Slot(e, e.next().getAndIncrement());
        } finally {
            lock.unlock();
        }
    }

    /** A sequence number and the epoch it belongs to. */
    record Slot(Epoch epoch, long sequence) {
        /** The record is encrypted: the epoch's key may be deleted once the epoch is replaced. */
        void done() {
            epoch.inUse().decrementAndGet();
        }
    }

    private Epoch start(String topic) {
        byte[] history = me.history();
        if (checkedHistory != null && !Arrays.equals(history, checkedHistory)) {
            keys.rewind(); // the key rotated since: look at every epoch key again, this producer's earlier ones included
        }
        keys.catchUp(this::read);
        resignStale(history);
        checkedHistory = history;
        byte[] epochId = new byte[EpochKey.EPOCH_ID_LENGTH];
        random.nextBytes(epochId);
        byte[] dataKey = new byte[DATA_KEY_LENGTH];
        random.nextBytes(dataKey);
        try {
            List<EpochKey.Wrap> wraps = wrapToReaders(topic, epochId, dataKey);
            Instant created = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            EpochKey epochKey = new EpochKey(me.history(), topic, epochId, created, wraps);
            byte[] body = epochKey.encode();
            own.made(epochId, body);
            keys.publish("epoch/" + me.identifier() + "/" + HexFormat.of().formatHex(epochId), me.sign(Statement.Kind.EPOCH_KEY, body));
            SecretHandle secret = me.vaults().channel().importSecret(dataKey);
            AeadKeyHandle handle = me.vaults().channel().toAeadKey(secret, AeadAlgorithm.AES_256_GCM);
            me.vaults().channel().delete(secret);
            Epoch epoch = new Epoch(epochId, handle, clock.instant(), new AtomicLong(), new AtomicInteger());
            retire(current.put(topic, epoch));
            LOG.info("epoch {} of topic {}: wrapped to {} reader(s)", HexFormat.of().formatHex(epochId), topic, wraps.size());
            return epoch;
        } catch (HopsealException e) {
            throw new HopsealRecordException(e.kind(), "cannot start an epoch on topic " + topic + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Keeps an announcement read from the key topic if it is signed by the reader its Kafka key names and that reader
     * is allowed now (a later one replaces it; a later one that verifies but is not allowed removes it). Anything else
     * is dropped: a key that names no identifier quietly (it is whatever the key topic's writer chose), a statement
     * that does not verify with a warning.
     */
    private void read(String key, byte[] value) {
        if (key.startsWith("epoch/" + me.identifier() + "/")) {
            readOwn(value);
            return;
        }
        if (!key.startsWith(READER_PREFIX)) {
            return;
        }
        Identifier named;
        try {
            named = new Identifier(key.substring(READER_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (listedOnly != null && !listedOnly.contains(named)) {
            return; // only listed readers can be admitted: nothing to verify
        }
        PeerIdentity reader;
        try {
            reader = verify(value).reader();
        } catch (HopsealException e) {
            LOG.warn("key topic {}: an announcement under reader/{} is left out: {}", keys.name(), named, e.getMessage());
            return;
        }
        if (!reader.identifier().equals(named)) {
            LOG.warn("key topic {}: an announcement under reader/{} is signed by {}; left out", keys.name(), named, reader.identifier());
            return;
        }
        if (!readers.check(reader)) {
            announcements.remove(key);
            return;
        }
        if (announcements.containsKey(key) || announcements.size() < MAX_ANNOUNCEMENTS) {
            announcements.put(key, value);
        } else {
            LOG.warn("key topic {}: more than {} readers are allowed; reader/{} is left out", keys.name(), MAX_ANNOUNCEMENTS, named);
        }
    }

    /** Notes an epoch key under this producer's name that this producer made, signed with an older history. */
    private void readOwn(byte[] value) {
        try {
            Statement s = Statement.decode(value);
            if (s.kind() != Statement.Kind.EPOCH_KEY) {
                return;
            }
            EpochKey epoch = EpochKey.decode(s.body());
            if (!Arrays.equals(epoch.producerHistory(), me.history()) && own.isMine(epoch.epochId(), s.body())) {
                stale.add(epoch);
            }
        } catch (HopsealException e) {
            // Not one this producer made (it made only well-formed ones): someone else's junk under its name.
        }
    }

    /** Re-signs this producer's earlier epoch keys with its current history, so that they stay readable. */
    private void resignStale(byte[] history) {
        try {
            for (EpochKey old : stale) {
                EpochKey again = new EpochKey(history, old.topic(), old.epochId(), old.createdAt(), old.wraps());
                byte[] body = again.encode();
                own.made(old.epochId(), body);
                keys.publish("epoch/" + me.identifier() + "/" + HexFormat.of().formatHex(old.epochId()),
                        me.sign(Statement.Kind.EPOCH_KEY, body));
            }
            if (!stale.isEmpty()) {
                LOG.info("re-signed {} earlier epoch key(s) with the rotated identity key", stale.size());
            }
        } catch (HopsealException e) {
            throw new HopsealRecordException(e.kind(), "cannot re-sign earlier epoch keys after a key rotation: " + e.getMessage(), e);
        } finally {
            stale.clear();
        }
    }

    private record Verified(PeerIdentity reader, ReaderAnnouncement announcement) {
    }

    /** The reader of an announcement, verified now (its history, signature and credentials). */
    private Verified verify(byte[] encoded) throws HopsealException {
        Statement s = Statement.decode(encoded);
        if (s.kind() != Statement.Kind.ANNOUNCEMENT) {
            throw new DecodeException("the statement is not an announcement");
        }
        ReaderAnnouncement announcement = ReaderAnnouncement.decode(s.body());
        List<Credential> credentials = new ArrayList<>();
        for (byte[] c : announcement.credentials()) {
            credentials.add(Credential.decode(c));
        }
        return new Verified(me.verify(s, announcement.history(), credentials, config), announcement);
    }

    private List<EpochKey.Wrap> wrapToReaders(String topic, byte[] epochId, byte[] dataKey) throws HopsealException {
        Hpke hpke = new Hpke(me.vaults().channel(), AeadAlgorithm.AES_256_GCM);
        List<EpochKey.Wrap> wraps = new ArrayList<>();
        for (Map.Entry<String, byte[]> a : announcements.entrySet()) {
            PeerIdentity reader;
            ReaderAnnouncement announcement;
            try {
                // Verified again: its credentials may have expired since it was read.
                Verified v = verify(a.getValue());
                reader = v.reader();
                announcement = v.announcement();
            } catch (HopsealException e) {
                LOG.warn("key topic {}: the announcement under {} is left out: {}", keys.name(), a.getKey(), e.getMessage());
                continue;
            }
            if (!a.getKey().equals("reader/" + reader.identifier())) {
                LOG.warn("key topic {}: the announcement under {} is signed by {}; left out", keys.name(), a.getKey(), reader.identifier());
                continue;
            }
            if (!readers.check(reader)) {
                continue;
            }
            if (wraps.size() == EpochKey.MAX_READERS) {
                throw new HopsealRecordException(ErrorKind.INVALID, "more than " + EpochKey.MAX_READERS + " readers are allowed on topic " + topic);
            }
            Identifier id = reader.identifier();
            Hpke.Sealed sealed = hpke.seal(new PublicKey(KeyType.X25519, announcement.readerKey()),
                    EpochKey.wrapInfo(me.identifier(), topic, epochId, id), new byte[0], dataKey);
            wraps.add(new EpochKey.Wrap(id, announcement.readerKey(), sealed.enc(), sealed.ciphertext()));
        }
        if (wraps.isEmpty()) {
            throw new HopsealRecordException(ErrorKind.UNTRUSTED, "no reader allowed by " + HopsealKafkaConfig.READERS
                    + " or " + HopsealKafkaConfig.READERS_POLICY + " has announced a reader key on key topic " + keys.name()
                    + "; start an authorized consumer once first");
        }
        return wraps;
    }

    private void retire(Epoch replaced) throws HopsealException {
        for (var it = retired.iterator(); it.hasNext();) {
            Epoch old = it.next();
            // A replaced epoch gets no new slots (next() runs under the lock), so once unused it stays unused.
            if (old.inUse().get() == 0) {
                me.vaults().channel().delete(old.key());
                it.remove();
            }
        }
        if (replaced != null) {
            retired.add(replaced);
        }
    }
}
