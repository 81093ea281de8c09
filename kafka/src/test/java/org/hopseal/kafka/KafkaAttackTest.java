package org.hopseal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Identifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.hopseal.kafka.broker.KafkaBroker;

/**
 * Attacks by whoever can write to the data topic or the key topic (the broker's operator among them): each test is one
 * attack, and passes when the clients resist it. Serializers and deserializers are driven directly (software vaults),
 * the key topic lives on a real in-process broker.
 */
@Timeout(120)
class KafkaAttackTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * A key-topic writer fills the producer's table of announcements with junk under made-up {@code reader/...} keys:
     * a reader that announces after the junk must still be wrapped to.
     */
    @Test
    void junkAnnouncementsDoNotLockOutAReaderAnnouncedAfterThem() throws Exception {
        String keys = keyTopic();
        try (KafkaProducer<String, byte[]> raw = rawProducer()) {
            for (int i = 0; i < ProducerEpochs.MAX_ANNOUNCEMENTS; i++) {
                raw.send(new ProducerRecord<>(keys, "reader/junk-" + i, new byte[] {1}));
            }
            raw.flush();
        }
        try (HopsealDeserializer<String> reader = reader(keys, Map.of());
             HopsealSerializer<String> producer = serializer(keys, reader.identifier(), Map.of())) {
            byte[] value = producer.serialize("orders", "for the reader");
            assertThat(reader.deserialize("orders", value)).isEqualTo("for the reader");
        }
    }

    /**
     * A data-topic writer sends tiny records that name epochs nobody published: each must not hold the consumer for
     * the whole key wait, or a few records stall it for minutes.
     */
    @Test
    void recordsNamingUnpublishedEpochsDoNotEachStallTheConsumerForTheKeyWait() throws Exception {
        String keys = keyTopic();
        long waitMs = 2_000;
        try (HopsealDeserializer<String> reader = reader(keys, Map.of("hopseal.on.failure", "skip", "hopseal.key.wait.ms", waitMs));
             HopsealSerializer<String> producer = serializer(keys, reader.identifier(), Map.of())) {
            Identifier producerId = new Identifier(producer.identifier());
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                assertThat(reader.deserialize("orders", forged(producerId))).isNull();
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(reader.skipped()).isEqualTo(5);
            assertThat(tookMs).as("5 forged records held the consumer %d ms", tookMs).isLessThan(2 * waitMs + 1_000);
            // A genuine record after them still reads.
            assertThat(reader.deserialize("orders", producer.serialize("orders", "genuine"))).isEqualTo("genuine");
        }
    }

    /**
     * The broker adds a clear header of the name the producer encrypts: the consumer must see only the encrypted
     * (authenticated) value under that name.
     */
    @Test
    void aClearHeaderAddedUnderAnEncryptedHeadersNameIsNotHandedOn() throws Exception {
        String keys = keyTopic();
        Map<String, Object> encrypt = Map.of("hopseal.encrypt.headers", "user-id");
        try (HopsealDeserializer<String> reader = reader(keys, encrypt);
             HopsealSerializer<String> producer = serializer(keys, reader.identifier(), encrypt)) {
            RecordHeaders sent = new RecordHeaders();
            sent.add("user-id", ascii("alice"));
            byte[] withHeader = producer.serialize("orders", sent, "order 1");
            assertThat(sent.lastHeader("user-id")).isNull();

            RecordHeaders tampered = new RecordHeaders();
            tampered.add("user-id", ascii("mallory"));
            assertThat(reader.deserialize("orders", tampered, withHeader)).isEqualTo("order 1");
            assertThat(values(tampered, "user-id")).containsExactly("alice");

            // A record sent without the header: one added in clear is not taken for an encrypted one.
            byte[] without = producer.serialize("orders", new RecordHeaders(), "order 2");
            RecordHeaders added = new RecordHeaders();
            added.add("user-id", ascii("mallory"));
            assertThat(reader.deserialize("orders", added, without)).isEqualTo("order 2");
            assertThat(values(added, "user-id")).isEmpty();
        }
    }

    /**
     * A key-topic writer fills the consumer's table of unopened epoch keys with entries whose Kafka keys are long or
     * whose values are empty: what it holds must be counted, keys included, so that the 64 MiB bound holds.
     */
    @Test
    void unopenedEpochKeysAreCountedWithTheirKafkaKeys() throws Exception {
        String keys = keyTopic();
        try (KafkaProducer<String, byte[]> raw = rawProducer()) {
            String producer = "I" + "ab".repeat(32);
            for (int i = 0; i < 2_000; i++) {
                raw.send(new ProducerRecord<>(keys, "epoch/" + producer + "/" + hex(16), new byte[0]));
            }
            for (int i = 0; i < 5; i++) {
                raw.send(new ProducerRecord<>(keys, "epoch/" + "x".repeat(800_000) + i, new byte[0]));
            }
            raw.flush();
        }
        try (HopsealDeserializer<String> reader = reader(keys, Map.of("hopseal.on.failure", "skip", "hopseal.key.wait.ms", 1_000L))) {
            assertThat(reader.deserialize("orders", forged(new Identifier("I" + "cd".repeat(32))))).isNull();
            ConsumerEpochs epochs = field(reader, "epochs");
            Map<String, byte[]> pending = field(epochs, "pending");
            long held = 0;
            for (Map.Entry<String, byte[]> e : pending.entrySet()) {
                held += e.getKey().length() + e.getValue().length;
            }
            long counted = field(epochs, "pendingBytes");
            assertThat(counted).as("%d unopened epoch keys hold %d bytes", pending.size(), held).isGreaterThanOrEqualTo(held);
            assertThat(held).isLessThanOrEqualTo(ConsumerEpochs.MAX_PENDING_BYTES);
        }
    }

    /**
     * A key-topic and data-topic writer pairs junk statements with records naming them: each refusal is remembered, so
     * the consumer's memory must not grow with their number.
     */
    @Test
    void refusalsRememberedAreBounded() throws Exception {
        String keys = keyTopic();
        Identifier producer = new Identifier("I" + "ab".repeat(32));
        List<byte[]> forged = new ArrayList<>();
        try (KafkaProducer<String, byte[]> raw = rawProducer()) {
            for (int i = 0; i < 3_000; i++) {
                byte[] record = forged(producer);
                forged.add(record);
                byte[] epoch = Arrays.copyOfRange(record, 36, 52);
                raw.send(new ProducerRecord<>(keys, "epoch/" + producer + "/" + HexFormat.of().formatHex(epoch), new byte[] {9}));
            }
            raw.flush();
        }
        try (HopsealDeserializer<String> reader = reader(keys, Map.of("hopseal.on.failure", "skip", "hopseal.key.wait.ms", 1_000L))) {
            for (byte[] record : forged) {
                assertThat(reader.deserialize("orders", record)).isNull();
            }
            ConsumerEpochs epochs = field(reader, "epochs");
            Map<String, ?> opened = field(epochs, "opened");
            assertThat(opened.size()).isLessThanOrEqualTo(ConsumerEpochs.MAX_REFUSALS);
        }
    }

    /**
     * A record that took a slot of an epoch just before two rotations (its topic's and any other's) is still
     * encrypted: the replaced epoch's key is not deleted under it.
     */
    @Test
    void aKeyInUseIsNotDeletedByRotations() throws Exception {
        String keys = keyTopic();
        try (HopsealDeserializer<String> reader = reader(keys, Map.of())) {
            Map<String, Object> config = producerConfig(keys, reader.identifier(), Map.of());
            HopsealKafkaConfig c = new HopsealKafkaConfig(config);
            ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
            try (Participant me = Participant.open(c); KeyTopic keyTopic = new KeyTopic(c)) {
                ProducerEpochs epochs = new ProducerEpochs(me, keyTopic, c, clock);
                ProducerEpochs.Slot inFlight = epochs.next("a");
                clock.advance(Duration.ofHours(2));
                epochs.next("a"); // replaces the epoch inFlight belongs to
                epochs.next("b"); // another rotation
                byte[] nonce = new byte[12];
                me.vaults().channel().aeadEncrypt(inFlight.epoch().key(), nonce, new byte[0], ascii("late"));
                inFlight.done();
            }
        }
    }

    /**
     * Many threads send through one serializer while epochs rotate every few records: every record encrypts, no
     * (epoch, sequence) pair, hence no nonce under one key, is used twice, and the reader decrypts them all.
     */
    @Test
    void concurrentSendsAcrossRotationsNeverFailOrRepeatANonce() throws Exception {
        String keys = keyTopic();
        try (HopsealDeserializer<String> reader = reader(keys, Map.of());
             HopsealSerializer<String> producer = serializer(keys, reader.identifier(), Map.of("hopseal.rotate.records", 3L))) {
            int threads = 8;
            int each = 30;
            List<Map.Entry<String, byte[]>> values = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                running.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            String topic = i % 2 == 0 ? "orders" : "payments";
                            values.add(Map.entry(topic, producer.serialize(topic, id + "-" + i)));
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread t : running) {
                t.join();
            }
            assertThat(failures).isEmpty();
            Set<String> nonces = new HashSet<>();
            Set<String> plaintexts = new HashSet<>();
            for (Map.Entry<String, byte[]> v : values) {
                assertThat(nonces.add(HexFormat.of().formatHex(v.getValue(), 36, RecordHeader.LENGTH))).isTrue();
                plaintexts.add(reader.deserialize(v.getKey(), v.getValue()));
            }
            assertThat(values).hasSize(threads * each);
            assertThat(plaintexts).hasSize(threads * each);
        }
    }

    /** An identity's announcement filed under another reader's Kafka key: the producer does not wrap to its key. */
    @Test
    void anAnnouncementSignedByOneIdentityUnderAnothersKeyIsLeftOut() throws Exception {
        String keys = keyTopic();
        String victim = "I" + "ab".repeat(32);
        Map<String, Object> attackerConfig = producerConfig(keys, victim, Map.of());
        HopsealKafkaConfig c = new HopsealKafkaConfig(attackerConfig);
        try (Participant attacker = Participant.open(c); KeyTopic keyTopic = new KeyTopic(c)) {
            byte[] attackerKey = new byte[32];
            RANDOM.nextBytes(attackerKey);
            ReaderAnnouncement a = new ReaderAnnouncement(attacker.history(), attackerKey, List.of(), Instant.now());
            keyTopic.publish("reader/" + victim, attacker.sign(Statement.Kind.ANNOUNCEMENT, a.encode()));
        }
        try (HopsealSerializer<String> producer = serializer(keys, victim, Map.of())) {
            assertThatThrownBy(() -> producer.serialize("orders", "for the victim only"))
                    .isInstanceOf(HopsealRecordException.class).hasMessageContaining("no reader allowed");
        }
    }

    /**
     * A second producer the consumer also accepts files its own epoch key under the first producer's name, and the
     * record is relabelled to name the first producer: refused, not read as the first producer's.
     */
    @Test
    void anEpochKeyOfOneProducerFiledUnderAnothersNameIsRefused() throws Exception {
        String keys = keyTopic();
        try (HopsealDeserializer<String> reader = reader(keys, Map.of("hopseal.key.wait.ms", 1_000L));
             HopsealSerializer<String> genuine = serializer(keys, reader.identifier(), Map.of());
             HopsealSerializer<String> rogue = serializer(keys, reader.identifier(), Map.of("hopseal.identity", "rogue"))) {
            assertThat(reader.deserialize("orders", genuine.serialize("orders", "genuine"))).isEqualTo("genuine");
            byte[] record = rogue.serialize("orders", "pretends to be genuine");
            String epochHex = HexFormat.of().formatHex(record, 36, 52);
            byte[] statement = rawKeyTopic(keys).get("epoch/" + rogue.identifier() + "/" + epochHex);
            try (KafkaProducer<String, byte[]> raw = rawProducer()) {
                raw.send(new ProducerRecord<>(keys, "epoch/" + genuine.identifier() + "/" + epochHex, statement)).get();
            }
            byte[] relabelled = record.clone();
            System.arraycopy(HexFormat.of().parseHex(genuine.identifier().substring(1)), 0, relabelled, 4, 32);
            assertThatThrownBy(() -> reader.deserialize("orders", relabelled)).isInstanceOf(HopsealRecordException.class)
                    .satisfies(e -> assertThat(((HopsealRecordException) e).kind()).isEqualTo(ErrorKind.AUTHENTICATION));
        }
    }

    /**
     * docs/kafka.md: a consumer offline while records were produced reads them later, for as long as the data topic
     * keeps them, also when their producer rotated its identity key meanwhile: a consumer that has seen the rotated
     * history (from a later epoch, read first) refuses anything signed by the old key, so the producer re-signs the
     * epochs it made with its new key at its next epoch.
     */
    @Test
    void recordsOfEpochsBeforeAProducersKeyRotationStayReadable() throws Exception {
        String keys = keyTopic();
        try (HopsealDeserializer<String> reader = reader(keys, Map.of("hopseal.key.wait.ms", 1_000L));
             HopsealSerializer<String> producer = serializer(keys, reader.identifier(), Map.of("hopseal.rotate.records", 1L))) {
            byte[] before = producer.serialize("orders", "before the rotation");
            Participant me = field(producer, "me");
            me.entity().rotateKey();
            byte[] after = producer.serialize("orders", "after the rotation");
            // Partitions are read in any order: the later record first.
            assertThat(reader.deserialize("orders", after)).isEqualTo("after the rotation");
            assertThat(reader.deserialize("orders", before)).isEqualTo("before the rotation");
        }
    }

    /**
     * After a rotation the producer re-signs only the epochs it made: an epoch key filed under its name and signed with
     * its old key by someone else (a thief of the rotated-away key) is not laundered into one its new key vouches for.
     */
    @Test
    void aRotationReSignsOnlyTheEpochsTheProducerMade() throws Exception {
        String keys = keyTopic();
        try (HopsealDeserializer<String> reader = reader(keys, Map.of("hopseal.key.wait.ms", 1_000L));
             HopsealSerializer<String> producer = serializer(keys, reader.identifier(), Map.of("hopseal.rotate.records", 1L))) {
            byte[] genuine = producer.serialize("orders", "genuine");
            Participant me = field(producer, "me");
            String genuineName = "epoch/" + producer.identifier() + "/" + HexFormat.of().formatHex(genuine, 36, 52);
            EpochKey copied = EpochKey.decode(Statement.decode(rawKeyTopic(keys).get(genuineName)).body());
            byte[] forgedId = new byte[16];
            RANDOM.nextBytes(forgedId);
            EpochKey forged = new EpochKey(me.history(), "orders", forgedId, copied.createdAt(), copied.wraps());
            String forgedName = "epoch/" + producer.identifier() + "/" + HexFormat.of().formatHex(forgedId);
            try (KafkaProducer<String, byte[]> raw = rawProducer()) {
                raw.send(new ProducerRecord<>(keys, forgedName, me.sign(Statement.Kind.EPOCH_KEY, forged.encode()).encode())).get();
            }
            byte[] before = me.history();

            me.entity().rotateKey();
            producer.serialize("orders", "after the rotation");

            Map<String, byte[]> latest = rawKeyTopic(keys);
            assertThat(EpochKey.decode(Statement.decode(latest.get(genuineName)).body()).producerHistory()).isEqualTo(me.history());
            assertThat(EpochKey.decode(Statement.decode(latest.get(forgedName)).body()).producerHistory()).isEqualTo(before);
        }
    }

    /** A record value that names {@code producer} and a random epoch nobody published. */
    private static byte[] forged(Identifier producer) {
        byte[] value = new byte[RecordHeader.LENGTH + 40];
        byte[] epoch = new byte[16];
        RANDOM.nextBytes(epoch);
        new RecordHeader(producer, epoch, 0).writeTo(value);
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Object owner, String name) throws Exception {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return (T) f.get(owner);
    }

    private static List<String> values(RecordHeaders headers, String name) {
        List<String> out = new ArrayList<>();
        for (Header h : headers.headers(name)) {
            out.add(new String(h.value(), StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The latest value under each key of the key topic, as anyone who may read it sees it. */
    private static Map<String, byte[]> rawKeyTopic(String topic) {
        Map<String, byte[]> out = new HashMap<>();
        Map<String, Object> c = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition only = new TopicPartition(topic, 0);
            consumer.assign(List.of(only));
            consumer.seekToBeginning(List.of(only));
            long end = consumer.endOffsets(List.of(only)).get(only);
            while (consumer.position(only) < end) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> out.put(r.key(), r.value()));
            }
        }
        return out;
    }

    private static String keyTopic() {
        return "keys-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static HopsealDeserializer<String> reader(String keyTopic, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("hopseal.vault", "software");
        config.put("hopseal.identity", "reader");
        config.put("hopseal.key.topic", keyTopic);
        config.put("hopseal.writers.policy", "true");
        config.put("hopseal.inner.deserializer", StringDeserializer.class.getName());
        config.putAll(extra);
        HopsealDeserializer<String> d = new HopsealDeserializer<>();
        d.configure(config, false);
        return d;
    }

    private static Map<String, Object> producerConfig(String keyTopic, String reader, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("hopseal.vault", "software");
        config.put("hopseal.identity", "producer");
        config.put("hopseal.key.topic", keyTopic);
        config.put("hopseal.readers", reader);
        config.put("hopseal.inner.serializer", StringSerializer.class.getName());
        config.putAll(extra);
        return config;
    }

    private static HopsealSerializer<String> serializer(String keyTopic, String reader, Map<String, Object> extra) {
        HopsealSerializer<String> s = new HopsealSerializer<>();
        s.configure(producerConfig(keyTopic, reader, extra), false);
        return s;
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", 20),
                new StringSerializer(), new ByteArraySerializer());
    }
}
