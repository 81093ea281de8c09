package org.hopseal.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.AeadKeyHandle;
import org.hopseal.api.vault.AgreementKeyHandle;
import org.hopseal.api.wire.BareReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts record values encrypted by {@link HopsealSerializer} for this consumer's identity, checks that their
 * producer is one {@code hopseal.writers} allows, and hands the plaintext to the application's own deserializer
 * ({@code hopseal.inner.deserializer}). On configuring, it announces this identity's reader key on the key topic, so
 * producers can include it. A record it cannot decrypt throws {@link HopsealRecordException}, or with
 * {@code hopseal.on.failure=skip} becomes {@code null} and is counted in {@link #skipped()}; it never returns a value
 * that did not authenticate. See {@code docs/kafka.md}.
 *
 * @param <T> the type the inner deserializer returns
 */
public final class HopsealDeserializer<T> implements Deserializer<T> {
    private static final Logger LOG = LoggerFactory.getLogger(HopsealDeserializer.class);
    /** The most headers one record may carry encrypted. */
    static final int MAX_ENCRYPTED_HEADERS = 64;

    private Deserializer<T> inner;
    private Participant me;
    private KeyTopic keys;
    private ConsumerEpochs epochs;
    private boolean skip;
    private List<String> encryptedHeaders;
    private final AtomicLong skipped = new AtomicLong();

    /** For Kafka, which configures it with the consumer's properties. */
    public HopsealDeserializer() {
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        HopsealKafkaConfig config = new HopsealKafkaConfig(configs);
        config.writers(); // fail early when no producer is accepted
        skip = config.skipFailures();
        encryptedHeaders = config.getList(HopsealKafkaConfig.ENCRYPT_HEADERS);
        inner = (Deserializer<T>) Utils.newInstance(config.getClass(HopsealKafkaConfig.INNER_DESERIALIZER));
        inner.configure(configs, isKey);
        try {
            me = Participant.open(config);
            AgreementKeyHandle readerKey = ReaderKey.loadOrCreate(me.vaults(), me.identifier());
            keys = new KeyTopic(config);
            ReaderAnnouncement announcement = new ReaderAnnouncement(me.history(), me.vaults().channel().publicKey(readerKey).bytes(),
                    credentials(config).stream().map(Credential::encoded).toList(), Instant.now());
            keys.publish("reader/" + me.identifier(), me.sign(Statement.Kind.ANNOUNCEMENT, announcement.encode()));
            epochs = new ConsumerEpochs(me, readerKey, keys, config);
        } catch (HopsealException e) {
            close();
            throw new ConfigException("Hopseal cannot set up identity " + config.getString(HopsealKafkaConfig.IDENTITY) + " in vault "
                    + config.getString(HopsealKafkaConfig.VAULT) + ": " + e.getMessage());
        } catch (KafkaException e) {
            close();
            throw e;
        }
    }

    private List<Credential> credentials(HopsealKafkaConfig config) throws HopsealException {
        List<Credential> out = new ArrayList<>();
        for (String c : config.getList(HopsealKafkaConfig.CREDENTIALS)) {
            if (c.equals("enrolled")) {
                out.addAll(me.node().memberCredentials(me.entity()).current());
            } else {
                out.add(Credential.parse(c));
            }
        }
        if (out.size() > ReaderAnnouncement.MAX_CREDENTIALS) {
            throw new ConfigException(HopsealKafkaConfig.CREDENTIALS + " gives " + out.size() + " credentials; at most "
                    + ReaderAnnouncement.MAX_CREDENTIALS + " are presented");
        }
        return out;
    }

    /** The identifier producers' reader policies name this consumer by. */
    public String identifier() {
        return me.identifier().value();
    }

    /** How many records were skipped ({@code hopseal.on.failure=skip}) because they could not be decrypted. */
    public long skipped() {
        return skipped.get();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return deserialize(topic, new RecordHeaders(), data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        byte[] value;
        try {
            value = decrypt(topic, headers, data);
        } catch (HopsealRecordException e) {
            if (!skip) {
                throw e;
            }
            skipped.incrementAndGet();
            LOG.warn("skipped a record of topic {}: {}", topic, e.getMessage());
            return null;
        }
        return inner.deserialize(topic, headers, value);
    }

    private byte[] decrypt(String topic, Headers headers, byte[] data) {
        RecordHeader header;
        try {
            header = RecordHeader.read(data);
        } catch (DecodeException e) {
            throw new HopsealRecordException(ErrorKind.INVALID, e.getMessage());
        }
        AeadKeyHandle key = epochs.opened(data, topic);
        if (key == null) {
            key = epochs.key(header.producer(), header.epochId(), topic);
        }
        byte[] plaintext;
        try {
            plaintext = me.vaults().channel().aeadDecrypt(key, header.nonce(), RecordHeader.associatedData(topic, data), data,
                    RecordHeader.LENGTH, data.length - RecordHeader.LENGTH);
        } catch (AuthenticationFailedException e) {
            throw new HopsealRecordException(ErrorKind.AUTHENTICATION, "the record does not authenticate");
        } catch (HopsealException e) {
            throw new HopsealRecordException(e.kind(), "cannot decrypt the record: " + e.getMessage(), e);
        }
        try {
            BareReader r = new BareReader(plaintext);
            int n = r.readLength(2, "encrypted headers");
            if (n > MAX_ENCRYPTED_HEADERS) {
                throw new DecodeException(n + " encrypted headers; at most " + MAX_ENCRYPTED_HEADERS);
            }
            List<String> names = new ArrayList<>(n);
            List<byte[]> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(r.readString());
                values.add(r.readData());
            }
            byte[] value = r.readFixed(r.remaining());
            // A header of a name that travels encrypted is never taken from the clear ones: whoever wrote them is unknown.
            encryptedHeaders.forEach(headers::remove);
            names.forEach(headers::remove);
            for (int i = 0; i < n; i++) {
                headers.add(names.get(i), values.get(i));
            }
            return value;
        } catch (DecodeException e) {
            // Authenticated, so written by the producer: a producer bug, not an attack.
            throw new HopsealRecordException(ErrorKind.INVALID, "the record's plaintext is malformed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (inner != null) {
            inner.close();
            inner = null;
        }
        if (epochs != null) {
            epochs.close();
            epochs = null;
        }
        if (keys != null) {
            keys.close();
            keys = null;
        }
        if (me != null) {
            me.close();
            me = null;
        }
    }
}
