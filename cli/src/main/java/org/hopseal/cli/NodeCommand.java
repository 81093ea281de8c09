package org.hopseal.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Echoer;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.metrics.MeteredNodes;
import org.hopseal.core.metrics.TimedChannelVault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hopseal node}: a node with a TCP listener, an authenticated channel listener and an Echoer. */
@Command(name = "node", mixinStandardHelpOptions = true, defaultValueProvider = ConfigDefaults.class,
        description = {"Runs a node: a TCP listener, an authenticated secure-channel listener at 'secure' and an Echoer at 'echoer'.",
                "With --relays it is a relay host: nodes with no open port register names at it ('--relay NAME@HOST:PORT',",
                "from the identities --trust allows) and others reach them through it ('send|inlet --relay NAME').",
                "Each --relay NAME@HOST:PORT registers this node at that relay host (without --listen, no port is opened at",
                "all), prints 'RELAY NAME <identifier> HOST:PORT' once registered, and registers again whenever it is lost.",
                "Only the listener faces the network; the Echoer answers only through channels the listener accepted.",
                "With --authority and --policy the listener admits only peers whose credentials from those authorities",
                "satisfy the policy (see 'hopseal authority'); channels whose credentials expire unrenewed close.",
                "With --forward it also passes messages on to other nodes (a middle node); without, it refuses to.",
                "Each --outlet NAME=HOST:PORT carries portal connections from 'hopseal inlet ... --outlet NAME' to that TCP",
                "service, through channels the listener accepted only.",
                "With --metrics HOST:PORT it serves the node's meters at http://HOST:PORT/metrics (Prometheus text format) and",
                "its liveness at /health (200 while it runs, 503 once it stops): counts only, nothing secret, but unauthenticated,",
                "so keep it on loopback or a private network; it prints 'METRICS <port>' after the ready line.",
                "Prints 'LISTENING <port> <identifier>' (without --listen: 'NODE <identifier>') once ready; runs until SIGINT or SIGTERM, then stops every worker,",
                "closes its sockets and prints 'STOPPED'.",
                "With --config FILE it takes its options from a YAML file, each key an option's long name without the dashes:",
                "'listen: 0.0.0.0:4000', 'trust: [I3f2a..., I9c1e...]', 'forward: true'. An option also given on the command",
                "line wins, and a list given there replaces the file's list. The file holds no secrets (see docs/deployment.md)."},
        footer = {"", "Examples:", "  hopseal node --listen 127.0.0.1:4000",
                "  hopseal node --listen 127.0.0.1:4000 --vault file:bob.vault --trust I3f2a... --idle-timeout 5m",
                "  hopseal node --config /etc/hopseal/node.yaml --listen 127.0.0.1:4001",
                "  hopseal node --listen 127.0.0.1:4000 --vault file:bob.vault --authority I9c1e... --policy 'subject.role = \"web\"'",
                "  hopseal node --listen 127.0.0.1:3000 --forward-to 127.0.0.1:4000",
                "  hopseal node --listen 0.0.0.0:4000 --vault file:db.vault --trust I3f2a... --outlet postgres=127.0.0.1:5432",
                "  hopseal node --listen 0.0.0.0:4000 --vault file:relay.vault --relays --trust I3f2a... --max-connections-per-host 1024",
                "  hopseal node --vault file:db.vault --relay db@relay1.example:4000 --relay db@relay2.example:4000 --outlet postgres=127.0.0.1:5432",
                "  hopseal node --vault file:db.vault --relay db@relay.example:4000 --relay-trust I77a0... --trust I3f2a...",
                "  HOPSEAL_PIN=1234 hopseal node --listen 0.0.0.0:4000 --vault 'pkcs11:token=hopseal;object=bob?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:HOPSEAL_PIN'"})
final class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Read by {@link ConfigDefaults}, before the options the file sets take their values. */
    @Option(names = ConfigDefaults.OPTION, paramLabel = "FILE",
            description = "take options from this YAML file (keys: the long option names without the dashes); options given here win")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "where to listen; port 0 picks a free one (needed unless --relay is given)")
    String listen;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "serve GET /metrics (Prometheus) and GET /health here; port 0 picks a free one (default: off)")
    String metricsAt;

    @Option(names = "--relays", description = "be a relay host: take registrations from the identities --trust allows")
    boolean relays;

    @Option(names = "--relay", split = ",", paramLabel = "NAME@HOST:PORT",
            description = "register this node as NAME at the relay host HOST:PORT (repeat or comma-separate)")
    List<String> relayAt = new ArrayList<>();

    @Option(names = "--max-connections", defaultValue = "1024", paramLabel = "N",
            description = "the most TCP connections open at once, accepted and dialed (default 1024)")
    int maxConnections;

    @Option(names = "--max-connections-per-host", defaultValue = "64", paramLabel = "N",
            description = "the most connections accepted from one IP address (default 64; a relay host whose nodes share a NAT address needs more)")
    int maxConnectionsPerHost;

    @Option(names = "--relay-trust", split = ",", paramLabel = "any|ID",
            description = "which relay hosts --relay registers at once authenticated: 'any' (the default; a host carries only ciphertext) or identifiers")
    List<String> relayTrust = new ArrayList<>(List.of("any"));

    @Option(names = "--idle-timeout", defaultValue = "0", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "close an accepted channel whose peer is silent this long (pinging it after a third); 0, the default: never")
    Duration idleTimeout;

    @Option(names = "--forward", description = "pass messages from other nodes on to any node their route names (a middle node)")
    boolean forward;

    @Option(names = "--forward-to", split = ",", paramLabel = "HOST:PORT",
            description = "pass messages on, connecting only to these nodes (implies --forward)")
    List<String> forwardTo = new ArrayList<>();

    @Option(names = "--outlet", split = ",", paramLabel = "NAME=HOST:PORT",
            description = "carry portal connections to the TCP service at HOST:PORT under NAME (repeat or comma-separate)")
    List<String> outlets = new ArrayList<>();

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
        if (listen == null && relayAt.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --listen HOST:PORT, or --relay NAME@HOST:PORT for a node with no open port");
        }
        if (relays && listen == null) {
            throw new ParameterException(spec.commandLine(), "a relay host (--relays) needs --listen HOST:PORT");
        }
        TcpTransportOptions tcp;
        try {
            tcp = TcpTransportOptions.defaults().withMaxConnections(maxConnections, maxConnectionsPerHost);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--max-connections and --max-connections-per-host: " + e.getMessage());
        }
        List<RelayAt> registrations = new ArrayList<>();
        for (String at : relayAt) {
            registrations.add(relayAt(at));
        }
        InetSocketAddress metricsAddress = metricsAt == null ? null : metricsAddress(metricsAt);
        PrometheusMeterRegistry registry = metricsAddress == null ? null : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HopsealNode.Builder builder = registry == null ? HopsealNode.builder() : MeteredNodes.builder(registry);
        try (Vaults opened = vault.open()) {
            // With --metrics the channel vault's handshake operations are timed; the opened vaults close as before.
            Vaults vaults = registry == null ? opened : TimedChannelVault.timed(opened, registry);
            return run(forwarding(builder.vaults(vaults).tcp(tcp)), vaults, registrations, metricsAddress, registry);
        }
    }

    /** Starts the node, its workers and, with {@code metricsAddress}, the metrics endpoint; runs until a signal. */
    private int run(HopsealNode.Builder builder, Vaults vaults, List<RelayAt> registrations, InetSocketAddress metricsAddress,
            PrometheusMeterRegistry registry) throws Exception {
        try (HopsealNode node = builder.start()) {
            var ctx = node.context();
            Entity entity = vault.entity(ctx, vaults);
            ctx.startWorker("echoer", new Echoer(), Exposure.channelsOf("secure"));
            CredentialSource presented = credentials.source(node, entity);
            entity.createSecureChannelListener("secure", credentials.apply(pq.apply(SecureChannelOptions.defaults().withIdleTimeout(idleTimeout)),
                    trust.policy(), presented));
            for (String outlet : outlets) {
                int eq = outlet.indexOf('=');
                if (eq <= 0 || eq == outlet.length() - 1) {
                    throw new ParameterException(spec.commandLine(), "--outlet takes NAME=HOST:PORT, was '" + outlet + "'");
                }
                node.outlet(outlet.substring(0, eq), outlet.substring(eq + 1)).reachableThrough("secure").start();
            }
            if (relays) {
                node.relayService().reachableThrough("secure").trust(trust.policy()).start();
            }
            String ready = "NODE " + entity.identifier();
            if (listen != null) {
                ready = "LISTENING " + node.tcp().listen(listen).getPort() + " " + entity.identifier();
            }
            for (RelayAt at : registrations) {
                register(node, entity, at, presented);
            }
            if (metricsAddress == null) {
                UntilSignal.await(ready, node::stop);
                return 0;
            }
            try (MetricsEndpoint endpoint = MetricsEndpoint.start(metricsAddress, registry)) {
                UntilSignal.await(ready + System.lineSeparator() + "METRICS " + endpoint.port(), () -> {
                    endpoint.stopping();
                    node.stop();
                });
            }
        }
        return 0;
    }

    /** The address of {@code --metrics}: HOST:PORT, or [IPv6]:PORT. */
    private InetSocketAddress metricsAddress(String at) {
        int colon = at.lastIndexOf(':');
        if (colon <= 0 || colon == at.length() - 1) {
            throw new ParameterException(spec.commandLine(), "--metrics takes HOST:PORT, was '" + at + "'");
        }
        String host = at.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(at.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--metrics takes HOST:PORT with a port from 0 to 65535, was '" + at + "'");
        }
        return new InetSocketAddress(host, port);
    }

    /** A {@code --relay}: the name to register, at which host. */
    private record RelayAt(String name, String host) {
    }

    private RelayAt relayAt(String at) {
        int sign = at.indexOf('@');
        if (sign <= 0 || sign == at.length() - 1) {
            throw new ParameterException(spec.commandLine(), "--relay takes NAME@HOST:PORT, was '" + at + "'");
        }
        try {
            return new RelayAt(Relay.checkName(at.substring(0, sign)), at.substring(sign + 1));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Registers this node at a relay host; prints a line the first time it is registered. */
    private void register(HopsealNode node, Entity entity, RelayAt at, CredentialSource presented) throws HopsealException {
        AtomicBoolean printed = new AtomicBoolean();
        node.relay(at.name(), at.host()).entity(entity).trust(TrustOptions.policyOf(relayTrust))
                .credentials(presented).onRegistered(r -> {
            if (printed.compareAndSet(false, true)) {
                System.out.println("RELAY " + at.name() + " " + entity.identifier() + " " + at.host());
                System.out.flush();
            }
        }).start();
    }

    private HopsealNode.Builder forwarding(HopsealNode.Builder builder) {
        if (!forwardTo.isEmpty()) {
            return builder.forwardTo(forwardTo);
        }
        return forward ? builder.forwardAnywhere() : builder;
    }
}
