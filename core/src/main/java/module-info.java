/**
 * Hopseal's runtime: nodes, workers and routing, transports, the Noise and X3DH handshakes, identities and trust.
 */
module org.hopseal.core {
    requires transitive org.hopseal.api;
    requires org.slf4j;
    requires transitive micrometer.core;

    // Applications use the API alone (the runtime is found through ServiceLoader); only the command reaches the
    // Noise and X3DH state machines and the vector runners directly.
    exports org.hopseal.core.channel.noise to org.hopseal.cli;
    exports org.hopseal.core.channel.x3dh to org.hopseal.cli;
    exports org.hopseal.core.vectors to org.hopseal.cli;
    // The command keeps where an authority's service listens beside its identity, for tickets made by another process.
    exports org.hopseal.core.authority to org.hopseal.cli;
    // The command builds nodes whose meters it exposes (hopseal node --metrics).
    exports org.hopseal.core.metrics to org.hopseal.cli;

    uses org.hopseal.api.vault.VaultProvider;

    provides org.hopseal.api.identity.EntityFactory with org.hopseal.core.identity.CoreEntityFactory;
    provides org.hopseal.api.node.NodeFactory with org.hopseal.core.runtime.CoreNodeFactory;
}
