package org.hopseal.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * A producer's data key for one topic and one epoch, wrapped to each authorized reader ({@code docs/kafka.md}).
 * Kafka key: {@code epoch/<producer>/<epoch id hex>}.
 */
record EpochKey(byte[] producerHistory, String topic, byte[] epochId, Instant createdAt, List<Wrap> wraps) {
    static final int VERSION = 1;
    static final int EPOCH_ID_LENGTH = 16;
    /** The most readers one epoch is wrapped to. */
    static final int MAX_READERS = 1000;
    /** A wrapped 32-byte data key: the key and AES-256-GCM's 16-byte tag. */
    static final int SEALED_LENGTH = 48;

    EpochKey {
        wraps = List.copyOf(wraps);
    }

    /** The data key sealed to one reader's key. */
    record Wrap(Identifier reader, byte[] readerKey, byte[] enc, byte[] sealed) {
    }

    /** HPKE's info for a wrap: binds the producer, the topic, the epoch and the reader. */
    static byte[] wrapInfo(Identifier producer, String topic, byte[] epochId, Identifier reader) {
        byte[] context = Statement.Kind.EPOCH_KEY.context;
        byte[] p = producer.value().getBytes(StandardCharsets.US_ASCII);
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] r = reader.value().getBytes(StandardCharsets.US_ASCII);
        BareWriter w = new BareWriter().writeFixed(context).writeU8(p.length).writeFixed(p).writeU8(t.length).writeFixed(t)
                .writeFixed(epochId).writeU8(r.length).writeFixed(r);
        return w.toByteArray();
    }

    byte[] encode() {
        BareWriter w = new BareWriter().writeU8(VERSION).writeData(producerHistory).writeString(topic).writeData(epochId)
                .writeU64(createdAt.getEpochSecond()).writeUint(wraps.size());
        for (Wrap x : wraps) {
            w.writeString(x.reader().value()).writeData(x.readerKey()).writeData(x.enc()).writeData(x.sealed());
        }
        return w.toByteArray();
    }

    static EpochKey decode(byte[] body) throws DecodeException {
        BareReader r = new BareReader(body);
        int version = r.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported epoch key version " + version);
        }
        byte[] history = r.readData();
        String topic = Topics.check(r.readString());
        byte[] epochId = fixed(r.readData(), EPOCH_ID_LENGTH, "an epoch id");
        Instant created = Times.instant(r.readU64(), "epoch creation time");
        int n = r.readLength(4, "readers");
        if (n < 1 || n > MAX_READERS) {
            throw new DecodeException("an epoch key has 1 to " + MAX_READERS + " readers, not " + n);
        }
        List<Wrap> wraps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String reader = r.readString();
            Identifier id;
            try {
                id = new Identifier(reader);
            } catch (IllegalArgumentException e) {
                throw new DecodeException("an epoch key names a reader that is not an identifier");
            }
            wraps.add(new Wrap(id, fixed(r.readData(), Hpke.ENC_LENGTH, "a reader key"), fixed(r.readData(), Hpke.ENC_LENGTH, "an enc"),
                    fixed(r.readData(), SEALED_LENGTH, "a sealed data key")));
        }
        r.expectEnd("epoch key");
        return new EpochKey(history, topic, epochId, created, wraps);
    }

    private static byte[] fixed(byte[] value, int length, String what) throws DecodeException {
        if (value.length != length) {
            throw new DecodeException(what + " is " + length + " bytes, not " + value.length);
        }
        return value;
    }
}
