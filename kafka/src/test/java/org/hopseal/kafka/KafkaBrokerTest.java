package org.hopseal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.hopseal.kafka.broker.KafkaBroker;

class KafkaBrokerTest {
    @Test
    void aConsumerGroupReceivesWhatAProducerSent() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopic("plain", 1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("plain", "k", "hello")).get();
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "group.id", "g", "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("plain"));
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 100 && seen.isEmpty(); i++) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.value());
                    }
                }
                assertThat(seen).containsExactly("hello");
            }
        }
    }
}
