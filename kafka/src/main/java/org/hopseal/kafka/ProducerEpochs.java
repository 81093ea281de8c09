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
    /** Reader announcements kept at most (whoever may write to the key topic cannot make a producer hold more). */
    static final int MAX_ANNOUNCEMENTS = 10_000;

    private final Participant me;
    private final KeyTopic keys;
    private final HopsealKafkaConfig config;
    private final TrustPolicy readers;
    private final long maxRecords;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    /** The latest announcement of each reader, as read from the key topic. */
    private final Map<String, byte[]> announcements = new LinkedHashMap<>();
    private final Map<String, Epoch> current = new HashMap<>();
    /** Epochs replaced, whose key handles are deleted at the next replacement (records may still be encrypting). */
    private final List<Epoch> retired = new ArrayList<>();

    ProducerEpochs(Participant me, KeyTopic keys, HopsealKafkaConfig config, Clock clock) {
        this.me = me;
        this.keys = keys;
        this.config = config;
        this.readers = config.readers();
        this.maxRecords = config.getLong(HopsealKafkaConfig.ROTATE_RECORDS);
        this.clock = clock;
    }

    /** One epoch: its id, its data key and the next sequence number. */
    record Epoch(byte[] id, AeadKeyHandle key, Instant created, AtomicLong next) {
    }

    /** A sequence number in the current epoch of {@code topic}, starting a new epoch when the current one is spent. */
    Slot next(String topic) {
        lock.lock();
        try {
            Epoch e = current.get(topic);
            if (e == null || !clock.instant().isBefore(e.created().plus(config.rotateInterval())) || e.next().get() >= maxRecords) {
                e = start(topic);
            }
            return new Slot(e, e.next().getAndIncrement());
        } finally {
            lock.unlock();
        }
    }

    /** A sequence number and the epoch it belongs to. */
    record Slot(Epoch epoch, long sequence) {
    }

    private Epoch start(String topic) {
        keys.catchUp((key, value) -> {
            boolean room = announcements.containsKey(key) || announcements.size() < MAX_ANNOUNCEMENTS;
            if (key.startsWith("reader/") && value.length <= Statement.MAX_ENCODED && room) {
                announcements.put(key, value);
            }
        });
        byte[] epochId = new byte[EpochKey.EPOCH_ID_LENGTH];
        random.nextBytes(epochId);
        byte[] dataKey = new byte[DATA_KEY_LENGTH];
        random.nextBytes(dataKey);
        try {
            List<EpochKey.Wrap> wraps = wrapToReaders(topic, epochId, dataKey);
            Instant created = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            EpochKey epochKey = new EpochKey(me.history(), topic, epochId, created, wraps);
            keys.publish("epoch/" + me.identifier() + "/" + HexFormat.of().formatHex(epochId),
                    me.sign(Statement.Kind.EPOCH_KEY, epochKey.encode()));
            SecretHandle secret = me.vaults().channel().importSecret(dataKey);
            AeadKeyHandle handle = me.vaults().channel().toAeadKey(secret, AeadAlgorithm.AES_256_GCM);
            me.vaults().channel().delete(secret);
            Epoch epoch = new Epoch(epochId, handle, clock.instant(), new AtomicLong());
            retire(current.put(topic, epoch));
            LOG.info("epoch {} of topic {}: wrapped to {} reader(s)", HexFormat.of().formatHex(epochId), topic, wraps.size());
            return epoch;
        } catch (HopsealException e) {
            throw new HopsealRecordException(e.kind(), "cannot start an epoch on topic " + topic + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private List<EpochKey.Wrap> wrapToReaders(String topic, byte[] epochId, byte[] dataKey) throws HopsealException {
        Hpke hpke = new Hpke(me.vaults().channel(), AeadAlgorithm.AES_256_GCM);
        List<EpochKey.Wrap> wraps = new ArrayList<>();
        Set<Identifier> listedOnly = config.listedReadersOnly();
        for (Map.Entry<String, byte[]> a : announcements.entrySet()) {
            if (listedOnly != null && listedOnly.stream().noneMatch(id -> a.getKey().equals("reader/" + id))) {
                continue; // nobody else can be admitted: no signature to check
            }
            PeerIdentity reader;
            ReaderAnnouncement announcement;
            try {
                Statement s = Statement.decode(a.getValue());
                if (s.kind() != Statement.Kind.ANNOUNCEMENT) {
                    throw new DecodeException("a statement under " + a.getKey() + " is not an announcement");
                }
                announcement = ReaderAnnouncement.decode(s.body());
                List<Credential> credentials = new ArrayList<>();
                for (byte[] c : announcement.credentials()) {
                    credentials.add(Credential.decode(c));
                }
                reader = me.verify(s, announcement.history(), credentials, config);
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
        for (Epoch old : retired) {
            me.vaults().channel().delete(old.key());
        }
        retired.clear();
        if (replaced != null) {
            retired.add(replaced);
        }
    }
}
