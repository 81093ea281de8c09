package org.hopseal.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.PeerIdentity;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.vault.AeadAlgorithm;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.vault.SecretHandle;

/**
 * A consumer's view of the key topic: the epoch keys it has read but not needed yet, and the data keys of the epochs
 * it has opened. An epoch key is verified when a record first needs it; the outcome is kept (the refusals, which anyone
 * who writes to both topics can make up, only up to {@link #MAX_REFUSALS}, the most recent).
 */
final class ConsumerEpochs {
    /**
     * Bytes of epoch keys read and not yet needed, kept at most: the oldest are dropped first (whoever may write to the
     * key topic cannot make a consumer hold more).
     */
    static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;
    /** What an unopened epoch key is counted for beyond its key's and value's lengths: the map entry, the objects. */
    static final int PENDING_ENTRY_OVERHEAD = 128;
    /** Refused epochs remembered at most, the least recently used forgotten first. */
    static final int MAX_REFUSALS = 1024;
    /** The only Kafka keys epoch keys are filed under: {@code epoch/<producer identifier>/<epoch id hex>}. */
    private static final Pattern EPOCH_NAME = Pattern.compile("epoch/I[0-9a-f]{64}/[0-9a-f]{32}");

    private final Participant me;
    private final AgreementKeyHandle readerKey;
    private final KeyTopic keys;
    private final HopsealKafkaConfig config;
    private final TrustPolicy writers;
    private final Duration wait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, byte[]> pending = new LinkedHashMap<>();
    private long pendingBytes;
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();
    private final Map<String, Opened> refusals = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Opened> eldest) {
            return size() > MAX_REFUSALS;
        }
    };
    /**
     * Whether the last key waited for never appeared: until an epoch opens again, a missing key is looked for once,
     * without waiting, so that records naming epochs nobody published cannot each hold the consumer for the wait.
     */
    private boolean missed;

    private static final int HEAD_KEY_OFFSET = 4;
    private static final int HEAD_KEY_LENGTH = 32 + EpochKey.EPOCH_ID_LENGTH;
    /** The opened epochs again, by the bytes a record's head names them with. */
    private final Map<ByteBuffer, Opened> byHead = new ConcurrentHashMap<>();

    ConsumerEpochs(Participant me, AgreementKeyHandle readerKey, KeyTopic keys, HopsealKafkaConfig config) {
        this.me = me;
        this.readerKey = readerKey;
        this.keys = keys;
        this.config = config;
        this.writers = config.writers();
        this.wait = config.keyWait();
    }

    /**
     * The data key of the epoch a record's head names ({@code value[4..52)}: producer and epoch id), if that epoch was
     * opened for {@code topic} already; else {@code null}, and {@link #key} decides. Per record, without parsing.
     */
    AeadKeyHandle opened(byte[] value, String topic) {
        Opened o = byHead.get(ByteBuffer.wrap(value, HEAD_KEY_OFFSET, HEAD_KEY_LENGTH));
        return o != null && o.topic().equals(topic) ? o.key() : null;
    }

    private static ByteBuffer headKey(Identifier producer, byte[] epochId) {
        return ByteBuffer.allocate(HEAD_KEY_LENGTH).put(RecordHeader.producerBytes(producer)).put(epochId).flip();
    }

    /** An epoch's outcome: its data key and topic, or why its records cannot be read. */
    record Opened(AeadKeyHandle key, String topic, HopsealRecordException refusal) {
    }

    /** The data key of {@code producer}'s epoch {@code epochId}, for a record of {@code topic}. */
    AeadKeyHandle key(Identifier producer, byte[] epochId, String topic) {
        String name = "epoch/" + producer + "/" + HexFormat.of().formatHex(epochId);
        Opened o = opened.get(name);
        if (o == null) {
            lock.lock();
            try {
                o = opened.get(name);
                if (o == null) {
                    o = refusals.get(name);
                }
                if (o == null) {
                    o = open(name, producer, epochId);
                    if (o.refusal() == null) {
                        opened.put(name, o);
                        byHead.put(headKey(producer, epochId), o);
                        missed = false;
                    } else {
                        refusals.put(name, o);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        if (o.refusal() != null) {
            throw o.refusal();
        }
        if (!o.topic().equals(topic)) {
            throw new HopsealRecordException(ErrorKind.AUTHENTICATION, "the record does not authenticate");
        }
        return o.key();
    }

    private Opened open(String name, Identifier producer, byte[] epochId) {
        byte[] statement = find(name);
        try {
            Statement s = Statement.decode(statement);
            if (s.kind() != Statement.Kind.EPOCH_KEY) {
                throw new DecodeException("the statement under " + name + " is not an epoch key");
            }
            EpochKey epoch = EpochKey.decode(s.body());
            PeerIdentity signer = me.verify(s, epoch.producerHistory(), List.of(), config);
            if (!signer.identifier().equals(producer) || !Arrays.equals(epoch.epochId(), epochId)) {
                return refused(ErrorKind.AUTHENTICATION, "the record does not authenticate");
            }
            if (!writers.check(signer)) {
                return refused(ErrorKind.UNTRUSTED, "producer " + producer + " is not allowed by " + HopsealKafkaConfig.WRITERS
                        + " or " + HopsealKafkaConfig.WRITERS_POLICY);
            }
            EpochKey.Wrap mine = null;
            for (EpochKey.Wrap w : epoch.wraps()) {
                if (w.reader().equals(me.identifier())) {
                    mine = w;
                }
            }
            if (mine == null) {
                return refused(ErrorKind.UNTRUSTED, "this consumer (" + me.identifier() + ") is not a reader of epoch "
                        + HexFormat.of().formatHex(epochId) + " of producer " + producer);
            }
            Hpke hpke = new Hpke(me.vaults().channel(), AeadAlgorithm.AES_256_GCM);
            byte[] dataKey = hpke.open(readerKey, mine.enc(), EpochKey.wrapInfo(producer, epoch.topic(), epochId, me.identifier()),
                    new byte[0], mine.sealed());
            try {
                SecretHandle secret = me.vaults().channel().importSecret(dataKey);
                AeadKeyHandle key = me.vaults().channel().toAeadKey(secret, AeadAlgorithm.AES_256_GCM);
                me.vaults().channel().delete(secret);
                return new Opened(key, epoch.topic(), null);
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        } catch (AuthenticationFailedException e) {
            return refused(ErrorKind.AUTHENTICATION, "the epoch key of the record does not authenticate");
        } catch (DecodeException e) {
            return refused(ErrorKind.INVALID, "the epoch key of the record is malformed: " + e.getMessage());
        } catch (HopsealException e) {
            return refused(e.kind(), "the epoch key of the record cannot be used: " + e.getMessage());
        }
    }

    /**
     * The statement under {@code name}, reading the key topic until it appears or the wait ends (no wait after a
     * miss, until an epoch opens again: see {@link #missed}).
     */
    private byte[] find(String name) {
        long deadline = System.nanoTime() + (missed ? 0 : wait.toNanos());
        while (true) {
            byte[] found = takePending(name);
            if (found != null) {
                return found;
            }
            keys.catchUp((key, value) -> {
                if (EPOCH_NAME.matcher(key).matches() && !opened.containsKey(key) && !refusals.containsKey(key)) {
                    takePending(key);
                    pending.put(key, value);
                    pendingBytes += cost(key, value);
                    while (pendingBytes > MAX_PENDING_BYTES) {
                        takePending(pending.keySet().iterator().next());
                    }
                }
            });
            found = takePending(name);
            if (found != null) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                missed = true;
                throw new HopsealRecordException(ErrorKind.NOT_FOUND, "the key of the record (" + name + ") is not on key topic "
                        + keys.name() + " after " + wait);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HopsealRecordException(ErrorKind.UNAVAILABLE, "interrupted while waiting for key topic " + keys.name(), e);
            }
        }
    }

    private byte[] takePending(String name) {
        byte[] value = pending.remove(name);
        if (value != null) {
            pendingBytes -= cost(name, value);
        }
        return value;
    }

    /** What an unopened epoch key is counted for: its Kafka key, its value and the entry holding them. */
    private static long cost(String key, byte[] value) {
        return PENDING_ENTRY_OVERHEAD + key.length() + value.length;
    }

    private static Opened refused(ErrorKind kind, String message) {
        return new Opened(null, null, new HopsealRecordException(kind, message));
    }

    /** Deletes the data keys this consumer opened. */
    void close() {
        List<Opened> all = new ArrayList<>(opened.values());
        opened.clear();
        byHead.clear();
        lock.lock();
        try {
            refusals.clear();
        } finally {
            lock.unlock();
        }
        for (Opened o : all) {
            if (o.key() != null) {
                try {
                    me.vaults().channel().delete(o.key());
                } catch (HopsealException e) {
                    // The vault closes next, with everything in it.
                }
            }
        }
    }
}
