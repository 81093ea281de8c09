package org.hopseal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;

/** The key topic's statements and the record head: round trips and every refusal of docs/kafka.md. */
class KeyTopicFormatsTest {
    private static final Identifier READER = new Identifier("I" + "ab".repeat(32));
    private static final Identifier PRODUCER = new Identifier("I" + "cd".repeat(32));
    private static final byte[] EPOCH = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final Instant AT = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void statementsRoundTripAndRefuseUnknownKindsTrailingBytesAndOversize() throws Exception {
        Statement s = new Statement(Statement.Kind.EPOCH_KEY, new byte[] {1, 2}, new byte[] {3});
        Statement back = Statement.decode(s.encode());
        assertThat(back.kind()).isEqualTo(Statement.Kind.EPOCH_KEY);
        assertThat(back.body()).containsExactly(1, 2);
        assertThat(back.signature()).containsExactly(3);

        byte[] unknown = s.encode();
        unknown[0] = 3;
        refused(() -> Statement.decode(unknown), "unknown key-topic statement kind 3");
        byte[] trailing = Arrays.copyOf(s.encode(), s.encode().length + 1);
        refused(() -> Statement.decode(trailing), "key-topic statement has 1 trailing bytes");
        refused(() -> Statement.decode(new byte[Statement.MAX_ENCODED + 1]),
                "a key-topic statement of " + (Statement.MAX_ENCODED + 1) + " bytes exceeds the limit of " + Statement.MAX_ENCODED);
        assertThat(Statement.signedBytes(Statement.Kind.ANNOUNCEMENT, new byte[] {9}))
                .isEqualTo(concat("hopseal/kafka-announcement/1".getBytes(StandardCharsets.US_ASCII), new byte[] {9}));
    }

    @Test
    void announcementsRoundTripAndRefuseWhatDocsKafkaRefuses() throws Exception {
        ReaderAnnouncement a = new ReaderAnnouncement(new byte[] {7}, new byte[32], List.of(new byte[] {1}), AT);
        ReaderAnnouncement back = ReaderAnnouncement.decode(a.encode());
        assertThat(back.history()).containsExactly(7);
        assertThat(back.credentials()).hasSize(1);
        assertThat(back.announcedAt()).isEqualTo(AT);

        byte[] v2 = a.encode();
        v2[0] = 2;
        refused(() -> ReaderAnnouncement.decode(v2), "unsupported reader announcement version 2");
        refused(() -> ReaderAnnouncement.decode(new ReaderAnnouncement(new byte[] {7}, new byte[31], List.of(), AT).encode()),
                "a reader key is 32 bytes, not 31");
        List<byte[]> nine = new ArrayList<>(Collections.nCopies(9, new byte[] {1}));
        refused(() -> ReaderAnnouncement.decode(new ReaderAnnouncement(new byte[] {7}, new byte[32], nine, AT).encode()),
                "9 credentials announced; at most 8 are accepted");
        byte[] farFuture = new BareWriter().writeU8(1).writeData(new byte[] {7}).writeData(new byte[32]).writeUint(0).writeU64(-1).toByteArray();
        refused(() -> ReaderAnnouncement.decode(farFuture), "the announcement time 18446744073709551615 is out of range");
    }

    @Test
    void epochKeysRoundTripAndRefuseWhatDocsKafkaRefuses() throws Exception {
        EpochKey.Wrap wrap = new EpochKey.Wrap(READER, new byte[32], new byte[32], new byte[48]);
        EpochKey e = new EpochKey(new byte[] {5}, "orders", EPOCH, AT, List.of(wrap));
        EpochKey back = EpochKey.decode(e.encode());
        assertThat(back.topic()).isEqualTo("orders");
        assertThat(back.epochId()).isEqualTo(EPOCH);
        assertThat(back.wraps()).extracting(EpochKey.Wrap::reader).containsExactly(READER);

        refused(() -> EpochKey.decode(new EpochKey(new byte[] {5}, "no spaces", EPOCH, AT, List.of(wrap)).encode()),
                "a topic name is 1 to 249 ASCII letters, digits, '.', '_' or '-'");
        refused(() -> EpochKey.decode(new EpochKey(new byte[] {5}, "orders", new byte[15], AT, List.of(wrap)).encode()),
                "an epoch id is 16 bytes, not 15");
        refused(() -> EpochKey.decode(new EpochKey(new byte[] {5}, "orders", EPOCH, AT, List.of()).encode()),
                "an epoch key has 1 to 1000 readers, not 0");
        refused(() -> EpochKey.decode(new EpochKey(new byte[] {5}, "orders", EPOCH, AT,
                List.of(new EpochKey.Wrap(READER, new byte[32], new byte[32], new byte[47]))).encode()), "a sealed data key is 48 bytes, not 47");
        refused(() -> EpochKey.decode(new EpochKey(new byte[] {5}, "orders", EPOCH, AT,
                List.of(new EpochKey.Wrap(READER, new byte[32], new byte[33], new byte[48]))).encode()), "an enc is 32 bytes, not 33");
        byte[] badReader = new BareWriter().writeU8(1).writeData(new byte[] {5}).writeString("orders").writeData(EPOCH).writeU64(AT.getEpochSecond())
                .writeUint(1).writeString("Inot-an-identifier").writeData(new byte[32]).writeData(new byte[32]).writeData(new byte[48]).toByteArray();
        refused(() -> EpochKey.decode(badReader), "an epoch key names a reader that is not an identifier");
        byte[] v9 = e.encode();
        v9[0] = 9;
        refused(() -> EpochKey.decode(v9), "unsupported epoch key version 9");
    }

    @Test
    void wrapInfoBindsProducerTopicEpochAndReader() {
        byte[] info = EpochKey.wrapInfo(PRODUCER, "orders", EPOCH, READER);
        assertThat(info).isNotEqualTo(EpochKey.wrapInfo(READER, "orders", EPOCH, READER))
                .isNotEqualTo(EpochKey.wrapInfo(PRODUCER, "orderz", EPOCH, READER))
                .isNotEqualTo(EpochKey.wrapInfo(PRODUCER, "orders", new byte[16], READER))
                .isNotEqualTo(EpochKey.wrapInfo(PRODUCER, "orders", EPOCH, PRODUCER));
        assertThat(new String(info, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("hopseal/kafka-epoch/1");
    }

    @Test
    void recordHeadsRoundTripAndRefuseOthers() throws Exception {
        byte[] value = new byte[RecordHeader.LENGTH + 16];
        new RecordHeader(PRODUCER, EPOCH, 0x0102030405060708L).writeTo(value);
        RecordHeader back = RecordHeader.read(value);
        assertThat(back.producer()).isEqualTo(PRODUCER);
        assertThat(back.epochId()).isEqualTo(EPOCH);
        assertThat(back.sequence()).isEqualTo(0x0102030405060708L);
        assertThat(back.nonce()).containsExactly(0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(RecordHeader.LENGTH).isEqualTo(60);

        refused(() -> RecordHeader.read(new byte[RecordHeader.LENGTH - 1]), "the value is not a Hopseal-encrypted record");
        byte[] notHs = value.clone();
        notHs[1] = 'T';
        refused(() -> RecordHeader.read(notHs), "the value is not a Hopseal-encrypted record");
        byte[] v2 = value.clone();
        v2[2] = 2;
        refused(() -> RecordHeader.read(v2), "unsupported Hopseal record version 2");
        byte[] idLength = value.clone();
        idLength[3] = 31;
        refused(() -> RecordHeader.read(idLength), "a Hopseal record names its producer in 32 bytes, not 31");
        assertThat(RecordHeader.associatedData("a", value)).isNotEqualTo(RecordHeader.associatedData("b", value));
    }

    @Test
    void limitsAdmitTheirOwnValue() throws Exception {
        byte[] atLimit = new byte[Statement.MAX_ENCODED];
        refused(() -> Statement.decode(atLimit), "unknown key-topic statement kind 0");
        List<byte[]> eight = new ArrayList<>(Collections.nCopies(8, new byte[] {1}));
        assertThat(ReaderAnnouncement.decode(new ReaderAnnouncement(new byte[] {7}, new byte[32], eight, AT).encode()).credentials()).hasSize(8);
        assertThat(ReaderAnnouncement.decode(new ReaderAnnouncement(new byte[] {7}, new byte[32], List.of(), Instant.EPOCH).encode()).announcedAt())
                .isEqualTo(Instant.EPOCH);
        Instant last = Instant.ofEpochSecond(Instant.MAX.getEpochSecond());
        assertThat(ReaderAnnouncement.decode(new ReaderAnnouncement(new byte[] {7}, new byte[32], List.of(), last).encode()).announcedAt())
                .isEqualTo(last);
        EpochKey.Wrap wrap = new EpochKey.Wrap(READER, new byte[32], new byte[32], new byte[48]);
        assertThat(EpochKey.decode(new EpochKey(new byte[] {5}, "orders", EPOCH, AT, Collections.nCopies(1000, wrap)).encode()).wraps()).hasSize(1000);
        refused(() -> EpochKey.decode(new EpochKey(new byte[] {5}, "orders", EPOCH, AT, Collections.nCopies(1001, wrap)).encode()),
                "an epoch key has 1 to 1000 readers, not 1001");
        byte[] exactHead = new byte[RecordHeader.LENGTH];
        new RecordHeader(PRODUCER, EPOCH, 1).writeTo(exactHead);
        assertThat(RecordHeader.read(exactHead).sequence()).isEqualTo(1);
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] announcement = new ReaderAnnouncement(new byte[] {7}, new byte[32], List.of(), AT).encode();
        refused(() -> ReaderAnnouncement.decode(Arrays.copyOf(announcement, announcement.length + 1)), "reader announcement has 1 trailing bytes");
        byte[] epoch = new EpochKey(new byte[] {5}, "orders", EPOCH, AT, List.of(new EpochKey.Wrap(READER, new byte[32], new byte[32], new byte[48]))).encode();
        refused(() -> EpochKey.decode(Arrays.copyOf(epoch, epoch.length + 1)), "epoch key has 1 trailing bytes");
    }

    private interface Decoding {
        Object decode() throws Exception;
    }

    private static void refused(Decoding d, String message) {
        assertThatThrownBy(d::decode).isInstanceOf(DecodeException.class).hasMessage(message);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
