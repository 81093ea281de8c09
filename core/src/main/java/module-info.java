/**
 * Hopseal's runtime: nodes, workers and routing, transports, the Noise and X3DH handshakes, identities and trust.
 */
module org.hopseal.core {
    requires transitive org.hopseal.api;
    requires org.slf4j;

    exports org.hopseal.core.node;
    exports org.hopseal.core.workers;
    exports org.hopseal.core.channel;
    exports org.hopseal.core.channel.noise;
    exports org.hopseal.core.channel.x3dh;
    exports org.hopseal.core.vectors;

    exports org.hopseal.core.identity;
    exports org.hopseal.core.transport.tcp;

    uses org.hopseal.api.vault.VaultProvider;

    provides org.hopseal.api.identity.EntityFactory with org.hopseal.core.identity.CoreEntityFactory;
}
