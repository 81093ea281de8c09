package org.hopseal.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.identity.Identifier;

/**
 * The clear head of an encrypted record value ({@code docs/kafka.md}): {@code "HS" | u8 version | u8 32 | producer
 * (32 bytes) | epoch id (16) | u64 sequence (big-endian)}, all of it authenticated with the ciphertext that follows.
 */
record RecordHeader(byte[] producerBytes, byte[] epochId, long sequence) {
    static final int VERSION = 1;
    static final int LENGTH = 2 + 1 + 1 + 32 + EpochKey.EPOCH_ID_LENGTH + 8;
    private static final byte[] RECORD_CONTEXT = "hopseal/kafka-record/1".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    RecordHeader(Identifier producer, byte[] epochId, long sequence) {
        this(producerBytes(producer), epochId, sequence);
    }

    /** The producer this head names (made when asked: a record whose epoch is open needs no identifier). */
    Identifier producer() {
        return new Identifier("I" + HEX.formatHex(producerBytes));
    }

    /** Writes the head into the first {@link #LENGTH} bytes of {@code out}. */
    void writeTo(byte[] out) {
        write(out, producerBytes, epochId, sequence);
    }

    /** Writes a head into the first {@link #LENGTH} bytes of {@code out}, the producer given as {@link #producerBytes}. */
    static void write(byte[] out, byte[] producer, byte[] epochId, long sequence) {
        ByteBuffer b = ByteBuffer.wrap(out);
        b.put((byte) 'H').put((byte) 'S').put((byte) VERSION).put((byte) 32);
        b.put(producer);
        b.put(epochId);
        b.putLong(sequence);
    }

    /** The 32 bytes a head names {@code producer} by (its identifier's hex, decoded). */
    static byte[] producerBytes(Identifier producer) {
        return HEX.parseHex(producer.value(), 1, 65);
    }

    static RecordHeader read(byte[] value) throws DecodeException {
        if (value.length < LENGTH || value[0] != 'H' || value[1] != 'S') {
            throw new DecodeException("the value is not a Hopseal-encrypted record");
        }
        if (value[2] != VERSION) {
            throw new DecodeException("unsupported Hopseal record version " + (value[2] & 0xFF));
        }
        if (value[3] != 32) {
            throw new DecodeException("a Hopseal record names its producer in 32 bytes, not " + (value[3] & 0xFF));
        }
        ByteBuffer b = ByteBuffer.wrap(value, 4, LENGTH - 4);
        byte[] producer = new byte[32];
        b.get(producer);
        byte[] epochId = new byte[EpochKey.EPOCH_ID_LENGTH];
        b.get(epochId);
        return new RecordHeader(producer, epochId, b.getLong());
    }

    /** The AEAD nonce: four zero bytes and the sequence, big-endian. */
    byte[] nonce() {
        return nonce(sequence);
    }

    /** The AEAD nonce of {@code sequence}. */
    static byte[] nonce(long sequence) {
        return ByteBuffer.allocate(12).putInt(0).putLong(sequence).array();
    }

    /** What the tag covers beside the plaintext: the context, the topic and this head. */
    static byte[] associatedData(String topic, byte[] value) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(RECORD_CONTEXT.length + 1 + t.length + LENGTH).put(RECORD_CONTEXT).put((byte) t.length).put(t)
                .put(value, 0, LENGTH).array();
    }
}
