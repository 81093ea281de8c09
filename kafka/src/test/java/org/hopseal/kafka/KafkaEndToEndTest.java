package org.hopseal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.vault.Vaults;
import org.hopseal.vault.pkcs11.SoftHsm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.hopseal.kafka.broker.KafkaBroker;

/**
 * Hopseal's serializers against a real broker (KRaft, in this process): a producer whose identity is on SoftHSM,
 * consumers with file vaults, the broker's raw view, and the attacks of docs/kafka.md.
 */
@Timeout(120)
class KafkaEndToEndTest {
    private static final String MARKER = "plaintext-marker-7f3a";

    private static KafkaBroker broker;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        SoftHsm.require();
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anAuthorizedGroupReadsAnUnauthorizedOneCannotAndTheBrokerSeesNoPlaintext() throws Exception {
        String topic = topic();
        String hsm = SoftHsm.uri(SoftHsm.TOKEN, "kafka-producer", "env:" + SoftHsm.PIN_ENV);
        String producerId = producerIdentifier(hsm, "producer");
        try (Reader analytics = reader("analytics", producerId, Map.of());
             Reader intruder = reader("intruder", producerId, Map.of())) {
            try (KafkaProducer<String, String> producer = producer(hsm, "producer", List.of(analytics.id()), Map.of())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, MARKER + " " + i)).get();
                }
            }

            assertThat(analytics.read(topic, 5)).containsExactlyInAnyOrder(MARKER + " 0", MARKER + " 1", MARKER + " 2", MARKER + " 3", MARKER + " 4");
            List<Object> refused = intruder.read(topic, 5);
            assertThat(refused).hasSize(5).allSatisfy(o -> assertThat(kindOf(o)).isEqualTo(ErrorKind.UNTRUSTED));
            assertThat(((Exception) refused.get(0)).getCause().getMessage()).contains("is not a reader of epoch");
        }
        for (byte[] raw : rawValues(topic, 5)) {
            assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("plaintext-marker").startsWith("HS");
        }
        for (byte[] raw : rawValues("hopseal.keys", 1)) {
            assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("plaintext-marker");
        }
    }

    /** The consumer's file vault takes its passphrase from a file (passphrase-source), not the environment. */
    @Test
    void aConsumerOfflineDuringProductionReadsLaterWithItsFileVault() throws Exception {
        String topic = topic();
        Path passphrase = Files.writeString(dir.resolve("offline.passphrase"), "the offline reader's own passphrase\n");
        String vault = "file:" + dir.resolve("offline.vault") + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1";
        Map<String, Object> ownPassphrase = Map.of("hopseal.vault", vault + "&passphrase-source=file:" + passphrase);
        String offline;
        try (Reader once = reader("offline", "I" + "0".repeat(64), ownPassphrase)) {
            offline = once.id();
        }
        try (ProducerSide p = new ProducerSide("software", "p-offline", List.of(offline))) {
            for (int i = 0; i < 3; i++) {
                p.producer.send(new ProducerRecord<>(topic, "v" + i)).get();
            }
            try (Reader later = reader("offline", p.id(), ownPassphrase)) {
                assertThat(later.read(topic, 3)).containsExactly("v0", "v1", "v2");
            }
        }
        assertThatThrownBy(() -> Vaults.open(vault)).as("the environment's passphrase is not the vault's")
                .hasMessageContaining("wrong passphrase");
    }

    @Test
    void keysRotateByRecordCountAndEachEpochIsPublished() throws Exception {
        String topic = topic();
        try (ProducerSide p = new ProducerSide("software", "p-rotate", readerIdentifierAnnouncedThenGone("rotating"), Map.of("hopseal.rotate.records", "2"))) {
            for (int i = 0; i < 5; i++) {
                p.producer.send(new ProducerRecord<>(topic, "r" + i)).get();
            }
            try (Reader reading = reader("rotating", p.id(), Map.of())) {
                assertThat(reading.read(topic, 5)).containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4");
            }
            assertThat(rawKeys("hopseal.keys").stream().filter(k -> k.startsWith("epoch/" + p.id() + "/"))).hasSize(3);
        }
    }

    @Test
    void keysRotateByTime() throws Exception {
        String topic = topic();
        ManualClock clock = new ManualClock(Instant.now());
        try (Reader r = reader("timed", "I" + "0".repeat(64), Map.of());
             ProducerSide p = new ProducerSide("software", "p-timed", List.of(r.id()), Map.of("hopseal.rotate.interval.ms", "300"), clock)) {
            p.producer.send(new ProducerRecord<>(topic, "before")).get();
            clock.advance(Duration.ofMillis(300));
            p.producer.send(new ProducerRecord<>(topic, "after")).get();
            assertThat(rawKeys("hopseal.keys").stream().filter(k -> k.startsWith("epoch/" + p.id() + "/"))).hasSize(2);
        }
    }

    @Test
    void aReadersPolicyAdmitsReadersByTheAttributesAnAuthorityVouchesFor() throws Exception {
        String topic = topic();
        List<String> analyst = readerIdentifierAnnouncedThenGone("analyst");
        List<String> stranger = readerIdentifierAnnouncedThenGone("stranger");
        try (HopsealNode authorityNode = HopsealNode.start()) {
            Entity authority = Entity.create(authorityNode.context());
            String credential = authority.issueCredential(new Identifier(analyst.get(0)), Map.of("role", "analytics"), Duration.ofHours(1)).toText();
            String forStranger = authority.issueCredential(new Identifier(stranger.get(0)), Map.of("role", "sales"), Duration.ofHours(1)).toText();
            Map<String, Object> policy = Map.of("hopseal.readers.policy", "subject.role = \"analytics\"",
                    "hopseal.authorities", authority.identifier().value());
            try (ProducerSide p = new ProducerSide("software", "p-policy", List.of(), policy)) {
                reader("analyst", p.id(), Map.of("hopseal.credentials", credential)).close();
                reader("stranger", p.id(), Map.of("hopseal.credentials", forStranger)).close();
                p.producer.send(new ProducerRecord<>(topic, "for analysts")).get();
                try (Reader a = reader("analyst", p.id(), Map.of("hopseal.credentials", credential))) {
                    assertThat(a.read(topic, 1)).containsExactly("for analysts");
                }
                try (Reader s = reader("stranger", p.id(), Map.of("hopseal.credentials", forStranger))) {
                    assertThat(kindOf(s.read(topic, 1).get(0))).isEqualTo(ErrorKind.UNTRUSTED);
                }
            }
        }
    }

    @Test
    void keysAreEncryptedWhenAskedAndKeyAndValueShareTheProducersFileVault() throws Exception {
        String topic = topic();
        List<String> reader = readerIdentifierAnnouncedThenGone("keyed");
        String vault = "file:" + dir.resolve("keyed-producer.vault") + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1";
        Map<String, Object> config = producerConfig(vault, "keyed-producer", reader, Map.of());
        config.put("key.serializer", HopsealSerializer.class.getName());
        config.put("value.serializer", HopsealSerializer.class.getName());
        String producerId;
        try (HopsealSerializer<String> probe = new HopsealSerializer<>()) {
            probe.configure(config, false);
            producerId = probe.identifier();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                producer.send(new ProducerRecord<>(topic, MARKER + "-key", "value")).get();
            }
        }
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put("hopseal.vault", "file:" + dir.resolve("keyed.vault") + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1");
        c.put("hopseal.identity", "keyed");
        c.put("hopseal.writers", producerId);
        c.put("hopseal.inner.deserializer", StringDeserializer.class.getName());
        c.put("key.deserializer", HopsealDeserializer.class.getName());
        c.put("value.deserializer", HopsealDeserializer.class.getName());
        c.put("group.id", "k-" + UUID.randomUUID());
        c.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            ConsumerRecord<String, String> seen = pollOne(consumer);
            assertThat(seen.key()).isEqualTo(MARKER + "-key");
            assertThat(seen.value()).isEqualTo("value");
        }
        try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(rawConsumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            raw.subscribe(List.of(topic));
            assertThat(new String(pollOne(raw).key(), StandardCharsets.ISO_8859_1)).startsWith("HS").doesNotContain("plaintext-marker");
        }
    }

    @Test
    void aReaderRemovedFromThePolicyCannotReadWhatIsProducedAfterTheNextEpoch() throws Exception {
        String topic = topic();
        String hsm = SoftHsm.uri(SoftHsm.TOKEN, "kafka-revoker", "env:" + SoftHsm.PIN_ENV);
        String producerId = producerIdentifier(hsm, "revoker");
        try (Reader kept = reader("kept", producerId, Map.of()); Reader removed = reader("removed", producerId, Map.of())) {
            try (KafkaProducer<String, String> before = producer(hsm, "revoker", List.of(kept.id(), removed.id()), Map.of())) {
                before.send(new ProducerRecord<>(topic, 0, null, "old")).get();
            }
            // The same identity restarts from its HSM vault with the reader left out: a new epoch.
            try (KafkaProducer<String, String> after = producer(hsm, "revoker", List.of(kept.id()), Map.of())) {
                after.send(new ProducerRecord<>(topic, 0, null, "new")).get();
            }
            assertThat(kept.read(topic, 2)).containsExactly("old", "new");
            List<Object> seen = removed.read(topic, 2);
            assertThat(seen.get(0)).isEqualTo("old");
            assertThat(kindOf(seen.get(1))).isEqualTo(ErrorKind.UNTRUSTED);
        }
    }

    @Test
    void aTamperedRecordAndARecordMovedToAnotherTopicFailToAuthenticate() throws Exception {
        String topic = topic();
        String other = topic();
        try (ProducerSide p = new ProducerSide("software", "p-tamper", readerIdentifierAnnouncedThenGone("victim"))) {
            p.producer.send(new ProducerRecord<>(topic, 0, null, "genuine")).get();
            byte[] genuine = rawValues(topic, 1).get(0);
            byte[] tampered = genuine.clone();
            tampered[tampered.length - 20] ^= 1;
            byte[] otherSequence = genuine.clone();
            otherSequence[RecordHeader.LENGTH - 1] ^= 1;
            try (KafkaProducer<byte[], byte[]> attacker = rawProducer()) {
                attacker.send(new ProducerRecord<>(topic, 0, null, tampered)).get();
                attacker.send(new ProducerRecord<>(topic, 0, null, otherSequence)).get();
                attacker.send(new ProducerRecord<>(topic, 0, null, "HS not a record".getBytes(StandardCharsets.US_ASCII))).get();
                attacker.send(new ProducerRecord<>(other, 0, null, genuine)).get();
            }
            try (Reader reading = reader("victim", p.id(), Map.of())) {
                List<Object> seen = reading.read(topic, 4);
                assertThat(seen.get(0)).isEqualTo("genuine");
                assertThat(kindOf(seen.get(1))).isEqualTo(ErrorKind.AUTHENTICATION);
                assertThat(kindOf(seen.get(2))).isEqualTo(ErrorKind.AUTHENTICATION);
                assertThat(kindOf(seen.get(3))).isEqualTo(ErrorKind.INVALID);
            }
            try (Reader reading = reader("victim", p.id(), Map.of())) {
                List<Object> moved = reading.read(other, 1);
                assertThat(kindOf(moved.get(0))).isEqualTo(ErrorKind.AUTHENTICATION);
                assertThat(((Exception) moved.get(0)).getCause()).hasMessage("AUTHENTICATION: the record does not authenticate");
            }
        }
    }

    @Test
    void aRecordFromAProducerTheConsumerDoesNotAcceptIsRefused() throws Exception {
        String topic = topic();
        try (Reader r = reader("picky", "I" + "0".repeat(64), Map.of());
             ProducerSide p = new ProducerSide("software", "p-stranger", List.of(r.id()))) {
            p.producer.send(new ProducerRecord<>(topic, "from a stranger")).get();
            List<Object> seen = r.read(topic, 1);
            assertThat(kindOf(seen.get(0))).isEqualTo(ErrorKind.UNTRUSTED);
            assertThat(((Exception) seen.get(0)).getCause().getMessage()).contains("is not allowed by hopseal.writers");
        }
    }

    @Test
    void skipModeCountsAndReturnsNullInsteadOfThrowing() throws Exception {
        String topic = topic();
        try (ProducerSide p = new ProducerSide("software", "p-skip", readerIdentifierAnnouncedThenGone("skipper"))) {
            p.producer.send(new ProducerRecord<>(topic, 0, null, "good")).get();
            try (KafkaProducer<byte[], byte[]> attacker = rawProducer()) {
                attacker.send(new ProducerRecord<>(topic, 0, null, "plain garbage".getBytes(StandardCharsets.US_ASCII))).get();
            }
            try (Reader skipping = reader("skipper", p.id(), Map.of("hopseal.on.failure", "skip"))) {
                assertThat(skipping.read(topic, 2)).containsExactly("good", "null");
                assertThat(skipping.skipped()).isEqualTo(1);
            }
        }
    }

    @Test
    void chosenHeadersTravelEncryptedAndComeBack() throws Exception {
        String topic = topic();
        try (Reader r = reader("headers", "I" + "0".repeat(64), Map.of());
             ProducerSide p = new ProducerSide("software", "p-headers", List.of(r.id()), Map.of("hopseal.encrypt.headers", "secret"))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, "with headers");
            record.headers().add("secret", (MARKER + "-header").getBytes(StandardCharsets.US_ASCII));
            record.headers().add("route", "clear".getBytes(StandardCharsets.US_ASCII));
            p.producer.send(record).get();

            Map<String, Object> c = rawConsumerConfig();
            try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                raw.subscribe(List.of(topic));
                ConsumerRecord<byte[], byte[]> seen = pollOne(raw);
                assertThat(seen.headers().lastHeader("secret")).isNull();
                assertThat(new String(seen.headers().lastHeader("route").value(), StandardCharsets.US_ASCII)).isEqualTo("clear");
                assertThat(new String(seen.value(), StandardCharsets.ISO_8859_1)).doesNotContain("plaintext-marker");
            }
            Map<String, Object> rc = new HashMap<>(r.config);
            rc.put("hopseal.writers", p.id());
            rc.put("group.id", "h-" + UUID.randomUUID());
            rc.put("auto.offset.reset", "earliest");
            rc.put("key.deserializer", StringDeserializer.class.getName());
            rc.put("value.deserializer", HopsealDeserializer.class.getName());
            r.close();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(rc)) {
                consumer.subscribe(List.of(topic));
                ConsumerRecord<String, String> seen = pollOne(consumer);
                assertThat(seen.value()).isEqualTo("with headers");
                assertThat(new String(seen.headers().lastHeader("secret").value(), StandardCharsets.US_ASCII)).isEqualTo(MARKER + "-header");
            }
        }
    }

    @Test
    void aProducerWithoutReadersOrAConsumerWithoutWritersDoesNotConfigure() {
        Map<String, Object> producer = producerConfig("software", "nobody", List.of(), Map.of());
        assertThatThrownBy(() -> new HopsealSerializer<String>().configure(producer, false)).isInstanceOf(ConfigException.class)
                .hasMessage("hopseal.readers or hopseal.readers.policy must say who may read; nothing is allowed by default");
        Map<String, Object> consumer = Map.of("bootstrap.servers", broker.bootstrapServers());
        assertThatThrownBy(() -> new HopsealDeserializer<String>().configure(consumer, false)).isInstanceOf(ConfigException.class)
                .hasMessage("hopseal.writers or hopseal.writers.policy must say whose records are accepted; nothing is allowed by default");
        Map<String, Object> badPolicy = producerConfig("software", "nobody", List.of(), Map.of("hopseal.readers.policy", "subject.role ="));
        assertThatThrownBy(() -> new HopsealSerializer<String>().configure(badPolicy, false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hopseal.readers.policy");
    }

    @Test
    void aProducerWithNoAnnouncedReaderFailsTheSendClearly() throws Exception {
        String topic = topic();
        try (ProducerSide p = new ProducerSide("software", "p-alone", List.of("I" + "1".repeat(64)), Map.of("hopseal.key.topic", "keys-" + topic))) {
            assertThatThrownBy(() -> p.producer.send(new ProducerRecord<>(topic, "lost?")).get())
                    .isInstanceOf(HopsealRecordException.class)
                    .hasMessageContaining("no reader allowed by hopseal.readers or hopseal.readers.policy has announced a reader key");
        }
    }

    /** The identifier of a reader that announced its key and stopped; the writer it named does not matter here. */
    private List<String> readerIdentifierAnnouncedThenGone(String name) {
        try (Reader once = reader(name, "I" + "0".repeat(64), Map.of())) {
            return List.of(once.id());
        }
    }

    /** A producer with a serializer configured first, so its identifier is known to readers before it sends. */
    private static final class ProducerSide implements AutoCloseable {
        final KafkaProducer<String, String> producer;
        final HopsealSerializer<String> serializer;

        ProducerSide(String vault, String identity, List<String> readers) {
            this(vault, identity, readers, Map.of());
        }

        ProducerSide(String vault, String identity, List<String> readers, Map<String, Object> extra) {
            this(vault, identity, readers, extra, Clock.systemUTC());
        }

        ProducerSide(String vault, String identity, List<String> readers, Map<String, Object> extra, Clock clock) {
            Map<String, Object> config = producerConfig(vault, identity, readers, extra);
            serializer = new HopsealSerializer<>(clock);
            serializer.configure(config, false);
            producer = new KafkaProducer<>(config, new StringSerializer(), serializer);
        }

        String id() {
            return serializer.identifier();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    private static String topic() throws Exception {
        String t = "t-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(t, 2);
        return t;
    }

    private static ErrorKind kindOf(Object outcome) {
        assertThat(outcome).isInstanceOf(RecordDeserializationException.class);
        Throwable cause = ((Exception) outcome).getCause();
        assertThat(cause).isInstanceOf(HopsealRecordException.class);
        return ((HopsealRecordException) cause).kind();
    }

    private static String producerIdentifier(String vault, String identity) {
        Map<String, Object> config = producerConfig(vault, identity, List.of("I" + "0".repeat(64)), Map.of());
        try (HopsealSerializer<String> s = new HopsealSerializer<>()) {
            s.configure(config, false);
            return s.identifier();
        }
    }

    private static Map<String, Object> producerConfig(String vault, String identity, List<String> readers, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("hopseal.vault", vault);
        config.put("hopseal.identity", identity);
        config.put("hopseal.readers", String.join(",", readers));
        config.put("hopseal.inner.serializer", StringSerializer.class.getName());
        config.putAll(extra);
        return config;
    }

    private static KafkaProducer<String, String> producer(String vault, String identity, List<String> readers, Map<String, Object> extra) {
        Map<String, Object> config = producerConfig(vault, identity, readers, extra);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", HopsealSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private Reader reader(String name, String writer, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("hopseal.vault", "file:" + dir.resolve(name + ".vault") + "?kdf-memory-kib=65536&kdf-iterations=3&kdf-parallelism=1");
        config.put("hopseal.identity", name);
        config.put("hopseal.writers", writer);
        config.put("hopseal.inner.deserializer", StringDeserializer.class.getName());
        config.putAll(extra);
        return new Reader(config);
    }

    /** A consumer side: its deserializer configured at once (announcing its reader key), a consumer made on demand. */
    private static final class Reader implements AutoCloseable {
        private final Map<String, Object> config;
        private final HopsealDeserializer<String> deserializer = new HopsealDeserializer<>();

        Reader(Map<String, Object> config) {
            this.config = config;
            deserializer.configure(config, false);
        }

        String id() {
            return deserializer.identifier();
        }

        long skipped() {
            return deserializer.skipped();
        }

        /**
         * Reads {@code n} records of {@code topic} from the start, each as its value or the exception it raised. Once:
         * closing the consumer closes the deserializer.
         */
        List<Object> read(String topic, int n) {
            Map<String, Object> c = new HashMap<>(config);
            c.put("group.id", "g-" + UUID.randomUUID());
            c.put("auto.offset.reset", "earliest");
            List<Object> out = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), deserializer)) {
                consumer.subscribe(List.of(topic));
                for (int polls = 0; out.size() < n && polls < 300; polls++) {
                    try {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                            out.add(r.value() == null ? "null" : r.value());
                        }
                    } catch (RecordDeserializationException e) {
                        out.add(e);
                        consumer.seek(e.topicPartition(), e.offset() + 1);
                    }
                }
            }
            return out;
        }

        @Override
        public void close() {
            deserializer.close();
        }
    }

    private static Map<String, Object> rawConsumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put("group.id", "raw-" + UUID.randomUUID());
        c.put("auto.offset.reset", "earliest");
        return c;
    }

    private static <K, V> ConsumerRecord<K, V> pollOne(KafkaConsumer<K, V> consumer) {
        for (int polls = 0; polls < 100; polls++) {
            for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(100))) {
                return r;
            }
        }
        throw new AssertionError("no record arrived");
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<String> rawKeys(String topic) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(rawConsumerConfig(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int empty = 0;
            for (int polls = 0; polls < 100 && empty < 5; polls++) {
                var batch = consumer.poll(Duration.ofMillis(100));
                empty = batch.isEmpty() && !keys.isEmpty() ? empty + 1 : 0;
                batch.forEach(r -> keys.add(r.key()));
            }
        }
        return keys;
    }

    private static List<byte[]> rawValues(String topic, int atLeast) {
        Map<String, Object> c = rawConsumerConfig();
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            for (int polls = 0; out.size() < atLeast && polls < 100; polls++) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(atLeast);
        return out;
    }
}
