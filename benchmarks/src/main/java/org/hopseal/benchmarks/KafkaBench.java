package org.hopseal.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.kafka.HopsealDeserializer;
import org.hopseal.kafka.HopsealKafkaConfig;
import org.hopseal.kafka.HopsealSerializer;
import org.hopseal.kafka.broker.KafkaBroker;
import org.hopseal.vault.file.FileVaultProvider;

/**
 * Kafka end to end (issue 21): records produced and consumed through one broker in this process (KRaft, the kafka
 * module's {@link KafkaBroker}), their {@code byte[]} values encrypted by {@link HopsealSerializer} and decrypted by
 * {@link HopsealDeserializer}, beside Kafka's own {@link ByteArraySerializer} and {@link ByteArrayDeserializer} with
 * the same client settings, tuned for throughput on both sides ({@link #producerConfig}, {@link #consumerConfig}). The
 * broker keeps its logs in memory ({@code /dev/shm}) where there is one, so that the disk bounds neither side.
 * <p>
 * The producer's identity is in a {@code software} vault (in memory, a new one for each producer). The reader's is in a
 * {@code file} vault made once for the whole bench, because producer and consumer must each name the other before
 * either is configured ({@code hopseal.readers}, {@code hopseal.writers}): an identity that lives only as long as its
 * serializer cannot be named in advance, and an offline consumer must be the same identity when it comes back. The
 * passphrase comes from {@value FileVaultProvider#PASSPHRASE_ENV}, which {@code hopseal bench} sets. The per-record
 * work is the same in both vaults (the file vault's data keys are held and used by its in-memory software vault).
 */
final class KafkaBench implements AutoCloseable {
    /** Partitions of every data topic. */
    static final int PARTITIONS = 2;
    /** A pair moves to a new topic (and deletes the old one) before a pass that would take its topic past this many value bytes. */
    private static final long TOPIC_BYTES = 256L << 20;
    /** Where the broker's logs go when it exists: memory (tmpfs). */
    private static final Path MEMORY = Path.of("/dev/shm");
    /** A pass that sees no record arrive for this long fails. */
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final String PRODUCER_IDENTITY = "bench-producer";
    private static final String READER_IDENTITY = "bench-reader";

    private final KafkaBroker broker;
    private final Path dir;
    private final Path brokerLogs;
    private final String readerVault;
    private final String readerId;
    private final AtomicInteger names = new AtomicInteger();

    /**
     * A measured pass: records produced and consumed, seconds from the first send to the last record consumed (and to
     * the producer's flush), and the CPU time this process (producer, broker and consumer) used meanwhile.
     */
    record Pass(long records, int size, double seconds, double produceSeconds, double cpuSeconds) {
        double recordsPerSecond() {
            return records / seconds;
        }

        /** MB/s (10^6 bytes) of record values, as the application gave and got them. */
        double mbps() {
            return records * (double) size / 1e6 / seconds;
        }

        /** CPU time of the whole process per record, µs: less moved by other load on the machine than the rates. */
        double cpuMicrosPerRecord() {
            return cpuSeconds * 1e6 / records;
        }
    }

    /** Starts the broker and makes the reader's identity in its file vault. */
    KafkaBench(Path dir) throws Exception {
        if (System.getenv(FileVaultProvider.PASSPHRASE_ENV) == null) {
            throw new IllegalStateException("the Kafka rows keep the reader's identity in a file vault and need a passphrase in "
                    + FileVaultProvider.PASSPHRASE_ENV + " ('hopseal bench' sets a throw-away one)");
        }
        this.dir = dir;
        Files.createDirectories(dir);
        this.readerVault = "file:" + dir.resolve("reader.vault");
        // The reader identity exists before any client names it, as an operator's would ('hopseal identity create').
        try (HopsealNode node = HopsealNode.builder().vault(readerVault).start()) {
            this.readerId = Entity.createOrLoad(node.context(), READER_IDENTITY).identifier().value();
        }
        // The broker's logs in memory, so that the disk bounds neither side: on a disk, the kernel writes the logs back
        // from 30 s into a run (dirty_expire_centisecs), on this machine at 250-300 MB/s with 40% of both cores in the
        // kernel, which held plain and Hopseal to the same 64 KiB rate (a ratio near 1 that flattered Hopseal). Files of
        // deleted topics go at once (log.segment.delete.delay.ms=0), though the broker's delete task first runs 30 s
        // after it starts: memory holds the topics in use, and up to about 1.4 GB in a full run's first 30 s.
        Path logs = null;
        if (Files.isDirectory(MEMORY) && Files.isWritable(MEMORY)) {
            logs = Files.createTempDirectory(MEMORY, "hopseal-kafka-bench-");
        } else {
            System.out.println("kafka bench: no " + MEMORY + "; the broker's logs are on disk, which may bound both sides");
        }
        this.brokerLogs = logs;
        this.broker = KafkaBroker.start(logs, Map.of("log.segment.delete.delay.ms", "0"));
    }

    /**
     * Producer settings for throughput, the same for plain and encrypted: leader acknowledgement (one broker: no
     * replicas to wait for), no compression (random values do not compress), batches of up to 1 MiB filled for up to 20 ms,
     * 64 MiB of buffer.
     */
    private Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ProducerConfig.ACKS_CONFIG, "1");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        c.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
        c.put(ProducerConfig.SEND_BUFFER_CONFIG, 1 << 20);
        return c;
    }

    /**
     * Consumer settings for throughput, the same for plain and encrypted: its own group, from the earliest offset,
     * fetches that wait for 256 KiB (at most 50 ms) and bring up to 8 MiB per partition, up to 10,000 records a poll.
     */
    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + names.incrementAndGet());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Kafka 4's group protocol (KIP-848): a new member is assigned at once, where the classic protocol's broker
        // waits group.initial.rebalance.delay.ms (3 s) before the first assignment of a new group.
        c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 << 10);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1 << 20);
        return c;
    }

    /** A new topic of {@link #PARTITIONS} partitions. */
    private String topic(String what) throws Exception {
        String t = "bench-" + what + "-" + names.incrementAndGet();
        broker.createTopic(t, PARTITIONS);
        return t;
    }

    /** A producer of {@code encrypted ? Hopseal : plain} values, whose identifier ({@code null} for plain) it also gives. */
    private record Producer(KafkaProducer<byte[], byte[]> producer, String identifier) {
    }

    private Producer producer(boolean encrypted) {
        Map<String, Object> c = producerConfig();
        if (!encrypted) {
            return new Producer(new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer()), null);
        }
        c.put(HopsealKafkaConfig.VAULT, "software");
        c.put(HopsealKafkaConfig.IDENTITY, PRODUCER_IDENTITY);
        c.put(HopsealKafkaConfig.READERS, readerId);
        c.put(HopsealKafkaConfig.INNER_SERIALIZER, ByteArraySerializer.class.getName());
        HopsealSerializer<byte[]> values = new HopsealSerializer<>();
        values.configure(c, false);
        return new Producer(new KafkaProducer<>(c, new ByteArraySerializer(), values), values.identifier());
    }

    /**
     * The value deserializer of a consumer configured by {@code c}: for encrypted values a {@link HopsealDeserializer}
     * of the reader's identity that accepts records of {@code writer} alone, configured here, which announces the
     * reader's key on the key topic.
     */
    private Deserializer<byte[]> values(boolean encrypted, Map<String, Object> c, String writer) {
        if (!encrypted) {
            return new ByteArrayDeserializer();
        }
        c.put(HopsealKafkaConfig.VAULT, readerVault);
        c.put(HopsealKafkaConfig.IDENTITY, READER_IDENTITY);
        c.put(HopsealKafkaConfig.WRITERS, writer);
        c.put(HopsealKafkaConfig.INNER_DESERIALIZER, ByteArrayDeserializer.class.getName());
        HopsealDeserializer<byte[]> d = new HopsealDeserializer<>();
        d.configure(c, false);
        if (!d.identifier().equals(readerId)) {
            d.close();
            throw new IllegalStateException("the reader's file vault gave identity " + d.identifier() + ", not " + readerId);
        }
        return d;
    }

    /** A value of {@code size} random bytes (nothing to compress). */
    private static byte[] value(int size) {
        byte[] v = new byte[size];
        new Random(size).nextBytes(v);
        return v;
    }

    /**
     * One producer and one consumer (its own group, joined before anything is produced), kept for several passes so
     * that each pass measures the steady state: the first pass also starts the producer's epoch and opens it in the
     * consumer. Between passes they move to a new topic whenever the next pass would take theirs past {@link #TOPIC_BYTES},
     * and the old one is deleted, so that the broker holds little more than one pass per pair.
     */
    final class Pair implements AutoCloseable {
        final boolean encrypted;
        private final int size;
        private final byte[] value;
        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private String topic;
        private long topicBytes;

        private Pair(boolean encrypted, int size) throws Exception {
            this.encrypted = encrypted;
            this.size = size;
            this.value = value(size);
            Producer p = producer(encrypted);
            this.producer = p.producer();
            Map<String, Object> c = consumerConfig();
            try {
                this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), values(encrypted, c, p.identifier()));
            } catch (RuntimeException e) {
                producer.close();
                throw e;
            }
            try {
                nextTopic();
            } catch (Exception e) {
                close();
                throw e;
            }
        }

        /**
         * Moves both clients to a new topic: the consumer subscribes to it and is assigned all its partitions, the
         * producer has its metadata; then the old topic is deleted.
         */
        private void nextTopic() throws Exception {
            String old = topic;
            topic = topic((encrypted ? "hopseal-" : "plain-") + size);
            topicBytes = 0;
            producer.partitionsFor(topic);
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + STALL.toNanos();
            while (!consumer.assignment().stream().allMatch(p -> p.topic().equals(topic)) || consumer.assignment().size() < PARTITIONS) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the bench's consumer was not assigned " + topic + " within " + STALL);
                }
                if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    throw new IllegalStateException("the bench's consumer got records it did not wait for, moving to " + topic);
                }
            }
            if (old != null) {
                deleteTopic(old);
            }
        }

        /** Produces {@code records} values and consumes them all, timed from the first send to the last record consumed. */
        Pass pass(int records) throws Exception {
            if (topicBytes > 0 && topicBytes + (long) records * size > TOPIC_BYTES) {
                nextTopic();
            }
            topicBytes += (long) records * size;
            return KafkaBench.this.pass(producer, consumer, topic, value, records);
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
            consumer.close(Duration.ofSeconds(10));
            if (topic != null) {
                deleteTopic(topic);
            }
        }
    }

    Pair pair(boolean encrypted, int size) throws Exception {
        return new Pair(encrypted, size);
    }

    private Pass pass(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer, String topic, byte[] value, int records)
            throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong producedAt = new AtomicLong();
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        Thread sender = Thread.ofPlatform().name("kafka-bench-producer").start(() -> {
            try {
                for (int i = 0; i < records && failure.get() == null; i++) {
                    producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                producer.flush();
                producedAt.set(System.nanoTime());
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        });
        long consumed;
        try {
            consumed = consume(consumer, value, records, failure);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            sender.join();
            throw e;
        }
        long end = System.nanoTime();
        long cpuEnd = processCpuNanos();
        sender.join();
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed", failure.get());
        }
        return new Pass(consumed, value.length, (end - start) / 1e9, (producedAt.get() - start) / 1e9, (cpuEnd - cpuStart) / 1e9);
    }

    /**
     * Polls until {@code records} values have arrived; fails on a stall, a producer failure, or a value of another length
     * than {@code value} (the first of each poll must also be equal to it).
     */
    private static long consume(KafkaConsumer<byte[], byte[]> consumer, byte[] value, int records, AtomicReference<Exception> failure) {
        long got = 0;
        long lastProgress = System.nanoTime();
        while (got < records) {
            long before = got;
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value() == null || r.value().length != value.length || (got == before && !Arrays.equals(r.value(), value))) {
                    throw new IllegalStateException("the bench's consumer got a value of " + (r.value() == null ? "null" : r.value().length
                            + " bytes") + " that is not the " + value.length + " bytes produced");
                }
                got++;
            }
            if (got > before) {
                lastProgress = System.nanoTime();
            } else if (failure.get() != null || System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new IllegalStateException("the bench's consumer got " + got + " of " + records + " records", failure.get());
            }
        }
        if (got > records) {
            throw new IllegalStateException("the bench's consumer got " + got + " records where " + records + " were produced");
        }
        return got;
    }

    /** An offline consumer catching up: seconds until it consumed everything, and how long its deserializer took to configure. */
    record CatchUp(long records, double seconds, double configureSeconds) {
    }

    /**
     * Produces {@code records} values of {@code size} bytes while no consumer runs (for encrypted values, the reader
     * announced its key first and went away), then starts a consumer in a new group and times it from its creation
     * until it has consumed them all: joining the group, fetching, and for encrypted values reading the key topic,
     * verifying and opening the epoch key and decrypting. Configuring its deserializer (opening the reader's file vault
     * and announcing again) comes just before and is timed apart.
     */
    CatchUp catchUp(boolean encrypted, int size, int records) throws Exception {
        String topic = topic((encrypted ? "hopseal-" : "plain-") + "catchup-" + size);
        byte[] value = value(size);
        try {
            Producer p = producer(encrypted);
            try (KafkaProducer<byte[], byte[]> producer = p.producer()) {
                if (encrypted) {
                    values(true, consumerConfig(), p.identifier()).close();
                }
                AtomicReference<Exception> failure = new AtomicReference<>();
                for (int i = 0; i < records && failure.get() == null; i++) {
                    producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                producer.flush();
                if (failure.get() != null) {
                    throw new IllegalStateException("producing to " + topic + " failed", failure.get());
                }
            }
            Map<String, Object> c = consumerConfig();
            long configureStart = System.nanoTime();
            Deserializer<byte[]> values = values(encrypted, c, p.identifier());
            long start = System.nanoTime();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), values)) {
                consumer.subscribe(List.of(topic));
                long got = consume(consumer, value, records, new AtomicReference<>());
                long end = System.nanoTime();
                return new CatchUp(got, (end - start) / 1e9, (start - configureStart) / 1e9);
            }
        } finally {
            deleteTopic(topic);
        }
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private void deleteTopic(String topic) {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(c)) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("kafka bench: could not delete topic " + topic + ": " + e);
        }
    }

    /** Stops the broker and deletes its logs and the reader's vault. */
    @Override
    public void close() throws Exception {
        broker.close();
        for (Path d : brokerLogs == null ? List.of(dir) : List.of(dir, brokerLogs)) {
            if (Files.exists(d)) {
                try (var files = Files.walk(d)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
