package org.hopseal.examples;

import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hopseal.kafka.HopsealDeserializer;
import org.hopseal.kafka.HopsealSerializer;
import org.hopseal.kafka.broker.KafkaBroker;

/**
 * Kafka end to end, in one process: a real broker (KRaft, in-process), a consumer "analytics" that may read, one
 * "intruder" that may not, a producer that encrypts for analytics only, and what the broker stores. Run it with
 * {@code hopseal demo kafka}.
 */
public final class KafkaEndToEnd {
    private static final String TOPIC = "orders";

    private KafkaEndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopic(TOPIC, 1);
            String servers = broker.bootstrapServers();
            System.out.println("broker: " + servers);

            // Each side names the other by identifier: a first serializer of the producer's identity tells its
            // identifier; the producer's own serializer shares that identity (same vault, same name).
            try (HopsealSerializer<String> identity = new HopsealSerializer<>()) {
                identity.configure(producerConfig(servers, "orders-producer", "I" + "0".repeat(64)), false);
                run(servers, identity.identifier());
            }
        }
    }

    private static void run(String servers, String producerId) throws Exception {
        HopsealSerializer<String> encrypting = new HopsealSerializer<>();
        HopsealDeserializer<String> analytics = new HopsealDeserializer<>();
        HopsealDeserializer<String> intruder = new HopsealDeserializer<>();
        analytics.configure(consumerConfig(servers, "analytics", producerId), false);
        intruder.configure(consumerConfig(servers, "intruder", producerId), false);
        encrypting.configure(producerConfig(servers, "orders-producer", analytics.identifier()), false);
        System.out.println("producer " + encrypting.identifier() + " encrypts for analytics " + analytics.identifier());

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                new StringSerializer(), encrypting)) {
            producer.send(new ProducerRecord<>(TOPIC, "order-1", "{\"item\": \"tea\", \"card\": \"4111-1111\"}")).get();
        }

        try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(groupConfig(servers, "broker-view"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            ConsumerRecord<byte[], byte[]> r = first(raw);
            System.out.println("the broker stores " + r.value().length + " bytes: "
                    + HexFormat.of().formatHex(r.value(), 0, 48) + "...");
        }
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(groupConfig(servers, "analytics"),
                new StringDeserializer(), analytics)) {
            System.out.println("analytics reads: " + first(reader).value());
        }
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(groupConfig(servers, "intruder"),
                new StringDeserializer(), intruder)) {
            first(reader);
            throw new IllegalStateException("the intruder read a record");
        } catch (RecordDeserializationException e) {
            System.out.println("intruder is refused: " + e.getCause().getMessage());
        }
    }

    private static Map<String, Object> producerConfig(String servers, String identity, String reader) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", servers);
        c.put("hopseal.vault", "software");
        c.put("hopseal.identity", identity);
        c.put("hopseal.readers", reader);
        c.put("hopseal.inner.serializer", StringSerializer.class.getName());
        return c;
    }

    private static Map<String, Object> consumerConfig(String servers, String identity, String writer) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", servers);
        c.put("hopseal.vault", "software");
        c.put("hopseal.identity", identity);
        c.put("hopseal.writers", writer);
        c.put("hopseal.inner.deserializer", StringDeserializer.class.getName());
        return c;
    }

    private static Map<String, Object> groupConfig(String servers, String group) {
        return Map.of("bootstrap.servers", servers, "group.id", group, "auto.offset.reset", "earliest");
    }

    private static <K, V> ConsumerRecord<K, V> first(KafkaConsumer<K, V> consumer) {
        consumer.subscribe(List.of(TOPIC));
        for (int polls = 0; polls < 100; polls++) {
            for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(100))) {
                return r;
            }
        }
        throw new IllegalStateException("no record arrived within 10 s");
    }
}
