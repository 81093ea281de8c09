package org.hopseal.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.portal.Inlet;
import org.hopseal.api.vault.Vaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hopseal inlet}: a TCP listener whose connections are carried to a node's outlet through one secure channel. */
@Command(name = "inlet", mixinStandardHelpOptions = true,
        description = {"Listens on --from; each TCP connection accepted there is carried, through one mutually authenticated",
                "secure channel to the node at --to (through --via nodes when given, or through the relay host it registered",
                "at with --relay NAME; several --to hosts are tried in order whenever the channel is opened), to the",
                "outlet NAME that node runs",
                "('hopseal node ... --outlet NAME=HOST:PORT'), which connects to its service. Connect to the inlet as if it",
                "were the service. A lost channel is opened again. Prints 'INLET <port> <peer identifier>' once the channel",
                "is up; runs until SIGINT or SIGTERM, then closes its connections and prints 'STOPPED'."},
        footer = {"", "Examples:",
                "  hopseal inlet --from 127.0.0.1:15432 --to db.example:4000 --outlet postgres --trust I3f2a...",
                "  psql -h 127.0.0.1 -p 15432 -U app",
                "  hopseal inlet --from 127.0.0.1:0 --to 10.0.0.2:4000 --via 10.0.0.1:3000 --outlet web --vault file:alice.vault",
                "  hopseal inlet --from 127.0.0.1:15432 --to relay1.example:4000,relay2.example:4000 --relay db --outlet postgres"})
final class InletCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "HOST:PORT", description = "where to listen; port 0 picks a free one")
    String from;

    @Mixin
    Destination destination;

    @Option(names = "--outlet", required = true, paramLabel = "NAME", description = "the outlet's name on that node")
    String outlet;

    @Option(names = "--idle-timeout", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "open a new channel when the node is silent this long (pinging it after a third); 0: never")
    Duration idleTimeout;

    @Mixin
    VaultOptions vault;

    @Mixin
    TrustOptions trust;

    @Mixin
    PostQuantumOption pq;

    @Mixin
    CredentialOptions credentials;

    @Override
    public Integer call() throws Exception {
        try (Vaults vaults = vault.open(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
            Entity entity = vault.entity(node.context(), vaults);
            Inlet inlet = node.inlet(from).to(destination.routes()).outlet(outlet).entity(entity)
                    .channelOptions(credentials.apply(pq.apply(SecureChannelOptions.defaults().withIdleTimeout(idleTimeout)), trust.policy(),
                            credentials.source(node, entity)))
                    .start();
            UntilSignal.await("INLET " + inlet.address().getPort() + " " + inlet.peer().map(Object::toString).orElse("-"), () -> {
                inlet.close();
                node.stop();
            });
        }
        return 0;
    }
}
