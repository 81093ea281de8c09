package org.hopseal.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hopseal.api.error.ErrorKind;

/**
 * The compacted key topic, through clients of its own: statements are written and acknowledged before use, and read
 * from where this reader last stopped up to the end the broker reports. Thread safe; one reader at a time.
 */
final class KeyTopic implements AutoCloseable {
    private final String topic;
    private final Duration wait;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ReentrantLock readLock = new ReentrantLock();
    private boolean assigned;

    KeyTopic(HopsealKafkaConfig config) {
        this.topic = config.getString(HopsealKafkaConfig.KEY_TOPIC);
        this.wait = config.keyWait();
        Map<String, Object> connection = config.connection();
        createIfMissing(connection);
        Map<String, Object> producerConfig = new HashMap<>(connection);
        producerConfig.put("acks", "all");
        producerConfig.put("enable.idempotence", "true");
        producerConfig.put("max.block.ms", wait.toMillis());
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consumerConfig = new HashMap<>(connection);
        consumerConfig.put("enable.auto.commit", "false");
        consumerConfig.put("max.partition.fetch.bytes", Statement.MAX_ENCODED * 4);
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    }

    String name() {
        return topic;
    }

    /** Writes {@code statement} under {@code key} and waits until the broker has it. */
    void publish(String key, Statement statement) {
        try {
            producer.send(new ProducerRecord<>(topic, key, statement.encode())).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HopsealRecordException(ErrorKind.UNAVAILABLE, "interrupted while writing to key topic " + topic, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new HopsealRecordException(ErrorKind.UNAVAILABLE, "cannot write to key topic " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Hands every statement written since the last call (all of them, the first time) to {@code each}, key and value. */
    void catchUp(BiConsumer<String, byte[]> each) {
        readLock.lock();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            if (!assigned) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, wait);
                consumer.assign(partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList());
                consumer.seekToBeginning(consumer.assignment());
                assigned = true;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), wait);
            while (!reached(end)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new HopsealRecordException(ErrorKind.TIMEOUT, "key topic " + topic + " was not read to its end within " + wait);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))))) {
                    if (r.key() != null && r.value() != null) {
                        each.accept(r.key(), r.value());
                    }
                }
            }
        } catch (KafkaException e) {
            throw new HopsealRecordException(ErrorKind.UNAVAILABLE, "cannot read key topic " + topic + ": " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    /** Makes the next {@link #catchUp} start from the beginning of the key topic again. */
    void rewind() {
        readLock.lock();
        try {
            if (assigned) {
                consumer.seekToBeginning(consumer.assignment());
            }
        } finally {
            readLock.unlock();
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), wait) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void createIfMissing(Map<String, Object> connection) {
        try (Admin admin = Admin.create(connection)) {
            NewTopic keys = new NewTopic(topic, 1, (short) -1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(keys)).all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new HopsealRecordException(ErrorKind.UNAVAILABLE, "cannot create key topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HopsealRecordException(ErrorKind.UNAVAILABLE, "interrupted while creating key topic " + topic, e);
        } catch (TimeoutException | KafkaException e) {
            throw new HopsealRecordException(ErrorKind.UNAVAILABLE, "cannot create key topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
