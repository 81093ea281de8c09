package org.hopseal.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.node.TcpTransportOptions;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hopseal send}: opens an authenticated channel to a node's 'secure' listener and sends to a worker there (its Echoer by default). */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Opens a mutually authenticated channel to a node (through --via nodes when given, or through the relay host",
                "it registered at with --relay NAME; several --to hosts are tried in order), sends MESSAGE to its",
                "Echoer (or the --worker NAME it exposes through its channels) and prints the reply alone on standard output.",
                "MESSAGE '-' reads the message from standard input (at most 16 MiB, a node's largest message)."},
        footer = {"", "Examples:", "  hopseal send --to 127.0.0.1:4000 'Hello Hopseal!'",
                "  hopseal send --to 10.0.0.2:4000 --via 10.0.0.1:3000 --vault file:alice.vault --trust I3f2a... 'Hello'",
                "  hopseal send --to relay1.example:4000,relay2.example:4000 --relay db --trust I3f2a... 'Hello'",
                "  hopseal send --to 127.0.0.1:4000 --vault file:web.vault --credential web.cred 'Hello'",
                "  hopseal send --to 127.0.0.1:4000 --trust I3f2a... - < report.json",
                "  hopseal send --to 127.0.0.1:4000 --trust I3f2a... --worker orders 'new order'"})
final class SendCommand implements Callable<Integer> {
    private static final String OPENING = "opening the secure channel";
    private static final String REPLY = "waiting for the reply";

    @Spec
    CommandSpec spec;

    @Mixin
    Destination destination;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "how long the whole send may take: connecting, the handshake, the message and its reply (e.g. 10s, 500ms)")
    Duration timeout;

    @Option(names = "--worker", defaultValue = "echoer", paramLabel = "NAME",
            description = "the worker to send to, one the node exposes through its channels (default: ${DEFAULT-VALUE})")
    String worker;

    @Mixin
    VaultOptions vault;

    @Mixin
    TrustOptions trust;

    @Mixin
    PostQuantumOption pq;

    @Mixin
    CredentialOptions credentials;

    @Parameters(paramLabel = "MESSAGE", description = "the text to send, or - to read it from standard input")
    String message;

    @Override
    public Integer call() throws Exception {
        if (timeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be longer than 0");
        }
        String text = MessageInput.read(message, System.in);
        TcpTransportOptions tcp = TcpTransportOptions.defaults();
        if (timeout.compareTo(tcp.connectTimeout()) < 0) {
            tcp = tcp.withConnectTimeout(timeout);
        }
        try (Vaults vaults = vault.open(); HopsealNode node = HopsealNode.builder().vaults(vaults).tcp(tcp).start()) {
            var ctx = node.context();
            Entity entity = vault.entity(ctx, vaults);
            SecureChannelOptions options = credentials.apply(pq.apply(SecureChannelOptions.defaults()), trust.policy(),
                    credentials.source(node, entity));
            // From here on the command only waits for the network: --timeout covers all of it.
            Deadline deadline = Deadline.after(timeout);
            Address channel;
            try {
                channel = openChannel(entity, options, deadline);
            } catch (HopsealException e) {
                throw deadline.explain(e, OPENING);
            }
            ctx.send(Route.of(channel, Address.of(worker)), text);
            try {
                System.out.println(ctx.receive(String.class, deadline.left(REPLY)));
            } catch (HopsealException e) {
                throw deadline.explain(e, REPLY);
            }
        }
        return 0;
    }

    /**
     * A channel by the first of the routes that works, each handshake (and its connecting) given what is left of the
     * deadline; the last one's failure if none does.
     */
    private Address openChannel(Entity entity, SecureChannelOptions options, Deadline deadline) throws HopsealException {
        List<Route> routes = destination.routes();
        for (int i = 0;; i++) {
            SecureChannelOptions attempt = options.withHandshakeTimeout(deadline.left(OPENING));
            try {
                return entity.createSecureChannel(routes.get(i), attempt);
            } catch (HopsealException e) {
                if (i == routes.size() - 1) {
                    throw e;
                }
                System.err.println("hopseal send: cannot reach " + destination.to.get(i) + " (" + e.getMessage() + "); trying " + destination.to.get(i + 1));
            }
        }
    }
}
