/**
 * Hopseal's stable API: routing values, workers and their context, message codecs, the vault SPI, entities and
 * trust policies, and the checked error hierarchy. Implementations live in {@code org.hopseal.core} and in the vault
 * modules, found through {@link java.util.ServiceLoader}.
 */
module org.hopseal.api {
    exports org.hopseal.api.error;
    exports org.hopseal.api.routing;
    exports org.hopseal.api.codec;
    exports org.hopseal.api.credential;
    // BARE and the JSON of the vector files: the wire's own codecs, for the runtime, the file vault and the Kafka statements.
    exports org.hopseal.api.wire to org.hopseal.core, org.hopseal.vault.file, org.hopseal.kafka;
    exports org.hopseal.api.worker;
    exports org.hopseal.api.vault;
    exports org.hopseal.api.identity;
    exports org.hopseal.api.policy;
    exports org.hopseal.api.node;
    exports org.hopseal.api.portal;
    exports org.hopseal.api.relay;

    uses org.hopseal.api.vault.VaultProvider;
    uses org.hopseal.api.identity.EntityFactory;
    uses org.hopseal.api.node.NodeFactory;
}
