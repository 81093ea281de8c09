package org.hopseal.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hopseal.api.error.PolicyException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.policy.Policy;

/**
 * The {@code hopseal.*} properties of {@link HopsealSerializer} and {@link HopsealDeserializer}, set beside the
 * client's own in its configuration (see {@code docs/kafka.md} and README "Kafka end to end").
 */
public final class HopsealKafkaConfig extends AbstractConfig {
    /** The vault spec, as for {@code hopseal --vault}: {@code software}, {@code file:PATH}, {@code pkcs11:...}. */
    public static final String VAULT = "hopseal.vault";
    /** The identity's name (created on first use) or identifier (loaded). */
    public static final String IDENTITY = "hopseal.identity";
    /** Producer: the consumer identifiers that may read, comma-separated. */
    public static final String READERS = "hopseal.readers";
    /** Producer: a policy over a reader's identifier and credential attributes, instead of or beside the list. */
    public static final String READERS_POLICY = "hopseal.readers.policy";
    /** Consumer: the producer identifiers it accepts records from, comma-separated. */
    public static final String WRITERS = "hopseal.writers";
    /** Consumer: a policy over a producer's identifier, instead of or beside the list. */
    public static final String WRITERS_POLICY = "hopseal.writers.policy";
    /** Producer: the authorities whose credentials count for {@link #READERS_POLICY}. */
    public static final String AUTHORITIES = "hopseal.authorities";
    /** Consumer: credentials to present to producers: credential texts, or {@code enrolled} for those got by enrolling. */
    public static final String CREDENTIALS = "hopseal.credentials";
    /** Producer: the application's own serializer, wrapped. */
    public static final String INNER_SERIALIZER = "hopseal.inner.serializer";
    /** Consumer: the application's own deserializer, wrapped. */
    public static final String INNER_DESERIALIZER = "hopseal.inner.deserializer";
    /** The compacted topic of reader announcements and epoch keys. */
    public static final String KEY_TOPIC = "hopseal.key.topic";
    /** How long to wait for the key topic (a key to appear, a statement to be written). */
    public static final String KEY_WAIT_MS = "hopseal.key.wait.ms";
    /** Producer: a new epoch (data key) after this long. */
    public static final String ROTATE_INTERVAL_MS = "hopseal.rotate.interval.ms";
    /** Producer: a new epoch after this many records. */
    public static final String ROTATE_RECORDS = "hopseal.rotate.records";
    /**
     * Producer: header names whose values are encrypted with the value. Consumer: header names accepted only from
     * inside the encrypted value (a clear header of such a name is removed).
     */
    public static final String ENCRYPT_HEADERS = "hopseal.encrypt.headers";
    /** Consumer: {@code throw} (the default) or {@code skip} a record that cannot be decrypted. */
    public static final String ON_FAILURE = "hopseal.on.failure";

    /** The most records one epoch may encrypt: its sequence fills 32 bits of the nonce. */
    static final long MAX_ROTATE_RECORDS = 1L << 32;

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(VAULT, Type.STRING, "software", Importance.HIGH, "The vault spec: software, file:PATH, pkcs11:...")
            .define(IDENTITY, Type.STRING, "kafka", Importance.HIGH, "The identity's name or identifier.")
            .define(READERS, Type.LIST, List.of(), Importance.HIGH, "Consumer identifiers that may read.")
            .define(READERS_POLICY, Type.STRING, null, Importance.HIGH, "A policy over readers' identifiers and attributes.")
            .define(WRITERS, Type.LIST, List.of(), Importance.HIGH, "Producer identifiers whose records are accepted.")
            .define(WRITERS_POLICY, Type.STRING, null, Importance.HIGH, "A policy over producers' identifiers.")
            .define(AUTHORITIES, Type.LIST, List.of(), Importance.MEDIUM, "Authorities whose credentials count.")
            .define(CREDENTIALS, Type.LIST, List.of(), Importance.MEDIUM, "Credential texts, or 'enrolled'.")
            .define(INNER_SERIALIZER, Type.CLASS, ByteArraySerializer.class, Importance.HIGH, "The wrapped serializer.")
            .define(INNER_DESERIALIZER, Type.CLASS, ByteArrayDeserializer.class, Importance.HIGH, "The wrapped deserializer.")
            .define(KEY_TOPIC, Type.STRING, "hopseal.keys", Importance.MEDIUM, "The compacted key topic.")
            .define(KEY_WAIT_MS, Type.LONG, 10_000L, ConfigDef.Range.between(1, 600_000), Importance.LOW, "Key topic wait.")
            .define(ROTATE_INTERVAL_MS, Type.LONG, 3_600_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM, "Epoch lifetime.")
            .define(ROTATE_RECORDS, Type.LONG, 1_000_000L, ConfigDef.Range.between(1, MAX_ROTATE_RECORDS), Importance.MEDIUM,
                    "Records per epoch.")
            .define(ENCRYPT_HEADERS, Type.LIST, List.of(), Importance.MEDIUM, "Header names encrypted with the value.")
            .define(ON_FAILURE, Type.STRING, "throw", ConfigDef.ValidString.in("throw", "skip"), Importance.MEDIUM,
                    "throw or skip a record that cannot be decrypted.");

    /** Client properties the key topic's own clients take over, to reach the same cluster the same way. */
    private static final List<String> CONNECTION_PREFIXES = List.of("bootstrap.servers", "security.", "ssl.", "sasl.",
            "client.dns.lookup", "connections.max.idle.ms", "request.timeout.ms", "socket.connection.setup.");

    HopsealKafkaConfig(Map<String, ?> originals) {
        super(DEFINITION, originals, false);
    }

    Duration keyWait() {
        return Duration.ofMillis(getLong(KEY_WAIT_MS));
    }

    Duration rotateInterval() {
        return Duration.ofMillis(getLong(ROTATE_INTERVAL_MS));
    }

    /** Who may read, from {@link #READERS} and {@link #READERS_POLICY}; one of them is required. */
    TrustPolicy readers() {
        return allowed(READERS, READERS_POLICY, "who may read");
    }

    /** Whose records are accepted, from {@link #WRITERS} and {@link #WRITERS_POLICY}; one of them is required. */
    TrustPolicy writers() {
        return allowed(WRITERS, WRITERS_POLICY, "whose records are accepted");
    }

    /** The readers listed, when no policy may admit others: announcements of anyone else need no verifying. */
    Set<Identifier> listedReadersOnly() {
        return getString(READERS_POLICY) == null ? identifiers(READERS) : null;
    }

    Set<Identifier> authorities() {
        return identifiers(AUTHORITIES);
    }

    boolean skipFailures() {
        return getString(ON_FAILURE).equals("skip");
    }

    /** The connection properties of the client this serializer belongs to, for the key topic's own clients. */
    Map<String, Object> connection() {
        Map<String, Object> out = new HashMap<>();
        originals().forEach((k, v) -> {
            if (CONNECTION_PREFIXES.stream().anyMatch(k::startsWith)) {
                out.put(k, v);
            }
        });
        if (!out.containsKey("bootstrap.servers")) {
            throw new ConfigException("bootstrap.servers is needed to reach the key topic " + getString(KEY_TOPIC));
        }
        return out;
    }

    private TrustPolicy allowed(String listName, String policyName, String what) {
        Set<Identifier> listed = identifiers(listName);
        String expression = getString(policyName);
        if (listed.isEmpty() && expression == null) {
            throw new ConfigException(listName + " or " + policyName + " must say " + what + "; nothing is allowed by default");
        }
        TrustPolicy byList = peer -> listed.contains(peer.identifier());
        if (expression == null) {
            return byList;
        }
        try {
            return byList.or(Policy.parse(expression));
        } catch (PolicyException e) {
            throw new ConfigException(policyName, expression, e.getMessage());
        }
    }

    private Set<Identifier> identifiers(String name) {
        Set<Identifier> out = new LinkedHashSet<>();
        for (String s : getList(name)) {
            try {
                out.add(new Identifier(s.strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, s, e.getMessage());
            }
        }
        return out;
    }
}
