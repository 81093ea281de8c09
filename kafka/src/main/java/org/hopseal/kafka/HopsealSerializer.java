package org.hopseal.kafka;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.SecureChannelVault;
import org.hopseal.api.wire.BareWriter;

/**
 * Encrypts record values (or keys) so that only the readers {@code hopseal.readers} allows can decrypt them, after
 * serializing them with the application's own serializer ({@code hopseal.inner.serializer}). Set it as the
 * producer's {@code value.serializer} with the {@code hopseal.*} properties of {@link HopsealKafkaConfig}; see
 * {@code docs/kafka.md}. A {@code null} value stays {@code null}. Thread safe, as Kafka's producer needs.
 *
 * @param <T> the type the inner serializer takes
 */
public final class HopsealSerializer<T> implements Serializer<T> {
    /** The plaintext's part before the value when no header is encrypted: {@code uint 0}. */
    private static final byte[] NO_HEADERS = {0};
    private Serializer<T> inner;
    private Participant me;
    private KeyTopic keys;
    private ProducerEpochs epochs;
    private List<String> encryptedHeaders;
    /** This producer's identifier as the 32 bytes every record's head carries. */
    private byte[] producer;
    private final Clock clock;

    /** For Kafka, which configures it with the producer's properties. */
    public HopsealSerializer() {
        this(Clock.systemUTC());
    }

    /** For tests: epochs rotate by {@code clock} ({@code hopseal.rotate.interval.ms}) instead of the system clock. */
    HopsealSerializer(Clock clock) {
        this.clock = clock;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        HopsealKafkaConfig config = new HopsealKafkaConfig(configs);
        config.readers(); // fail early when nobody may read
        encryptedHeaders = config.getList(HopsealKafkaConfig.ENCRYPT_HEADERS);
        inner = (Serializer<T>) Utils.newInstance(config.getClass(HopsealKafkaConfig.INNER_SERIALIZER));
        inner.configure(configs, isKey);
        try {
            me = Participant.open(config);
            keys = new KeyTopic(config);
            epochs = new ProducerEpochs(me, keys, config, clock);
            producer = RecordHeader.producerBytes(me.identifier());
        } catch (HopsealException e) {
            close();
            throw new ConfigException("Hopseal cannot open identity " + config.getString(HopsealKafkaConfig.IDENTITY) + " in vault "
                    + config.getString(HopsealKafkaConfig.VAULT) + ": " + e.getMessage());
        } catch (KafkaException e) {
            close();
            throw e;
        }
    }

    /** The identifier readers and writer policies name this producer by. */
    public String identifier() {
        return me.identifier().value();
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return serialize(topic, new RecordHeaders(), data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (data == null) {
            return null;
        }
        byte[] value = inner.serialize(topic, headers, data);
        if (value == null) {
            return null;
        }
        byte[] moved = encryptedHeaders(headers);
        ProducerEpochs.Slot slot = epochs.next(topic);
        byte[] head = new byte[RecordHeader.LENGTH];
        RecordHeader.write(head, producer, slot.epoch().id(), slot.sequence());
        SecureChannelVault vault = me.vaults().channel();
        try {
            // The plaintext is the encrypted headers and then the value, encrypted where it lies (no copy of the value).
            byte[] out = vault.aeadEncrypt(slot.epoch().key(), RecordHeader.nonce(slot.sequence()), RecordHeader.associatedData(topic, head),
                    moved, value, 0, value.length, RecordHeader.LENGTH);
            System.arraycopy(head, 0, out, 0, RecordHeader.LENGTH);
            return out;
        } catch (HopsealException e) {
            throw new HopsealRecordException(e.kind(), "cannot encrypt a record for topic " + topic + ": " + e.getMessage(), e);
        } finally {
            slot.done();
        }
    }

    /** The encrypted headers (moved out of the record), the plaintext's part before the inner value. */
    private byte[] encryptedHeaders(Headers headers) {
        if (encryptedHeaders.isEmpty()) {
            return NO_HEADERS;
        }
        List<Header> moved = new ArrayList<>();
        for (String name : encryptedHeaders) {
            headers.headers(name).forEach(moved::add);
        }
        if (moved.size() > HopsealDeserializer.MAX_ENCRYPTED_HEADERS) {
            throw new HopsealRecordException(ErrorKind.INVALID, moved.size() + " headers to encrypt; at most "
                    + HopsealDeserializer.MAX_ENCRYPTED_HEADERS + " per record");
        }
        BareWriter w = new BareWriter(16).writeUint(moved.size());
        for (Header h : moved) {
            w.writeString(h.key()).writeData(h.value() == null ? new byte[0] : h.value());
        }
        for (String name : encryptedHeaders) {
            headers.remove(name);
        }
        return w.toByteArray();
    }

    @Override
    public void close() {
        if (inner != null) {
            inner.close();
            inner = null;
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
