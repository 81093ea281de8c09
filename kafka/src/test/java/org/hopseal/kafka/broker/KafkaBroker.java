package org.hopseal.kafka.broker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker and controller (KRaft, combined, one node) in this process, on loopback; no Docker. Closing it
 * stops both and deletes its logs.
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts a broker and waits until it serves. */
    public static KafkaBroker start() throws Exception {
        return start(null, Map.of());
    }

    /**
     * Starts a broker whose logs are under {@code logs} (a new temporary directory when {@code null}), with
     * {@code properties} added to its configuration, and waits until it serves. The benchmarks keep the logs in memory.
     */
    public static KafkaBroker start(Path logs, Map<String, String> properties) throws Exception {
        TestKitNodes.Builder nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1);
        if (logs != null) {
            nodes.setBaseDirectory(logs);
        }
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build())
                // One broker: the group offsets topic cannot have the default three replicas, or groups never get records.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1");
        properties.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code host:port} of the broker's listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates a topic of {@code partitions} partitions with one replica. */
    public void createTopic(String name, int partitions) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
