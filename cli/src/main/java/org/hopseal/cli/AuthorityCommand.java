package org.hopseal.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.authority.Authorities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hopseal authority serve|ticket}: an authority that enrolls identities with one-time tickets. */
@Command(name = "authority", mixinStandardHelpOptions = true,
        description = "Runs a credential authority, and makes the one-time tickets identities enroll with.",
        subcommands = {AuthorityCommand.Serve.class, AuthorityCommand.Ticket.class})
final class AuthorityCommand {
    /** The listener members' channels reach the authority through. */
    static final String LISTENER = "secure";

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Runs the authority of the vault's identity: a TCP listener, a secure-channel listener at 'secure' that",
                    "accepts every authenticated identity, and the authority service, which enrolls identities presenting its",
                    "tickets ('hopseal enroll') and renews their credentials. Members and ticket uses are kept in the vault.",
                    "Prints 'AUTHORITY <port> <identifier>' once ready; runs until SIGINT or SIGTERM, then prints 'STOPPED'."},
            footer = {"", "Examples:", "  hopseal authority serve --listen 127.0.0.1:5000 --vault file:authority.vault",
                    "  hopseal authority serve --listen 0.0.0.0:5000 --advertise auth.example:5000 --credential-ttl 8h --vault file:authority.vault"})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "where to listen; port 0 picks a free one")
        String listen;

        @Option(names = "--advertise", paramLabel = "HOST:PORT",
                description = "where members reach this authority, as tickets name it (default: --listen, with the port it got)")
        String advertise;

        @Option(names = "--credential-ttl", defaultValue = "24h", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "how long the credentials it issues are valid (default 24h; members renew them)")
        Duration credentialTtl;

        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            try (Vaults vaults = vault.open(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                Entity entity = vault.entity(node.context(), vaults);
                entity.createSecureChannelListener(LISTENER);
                node.authority(entity).reachableThrough(LISTENER).credentialTtl(credentialTtl).start();
                InetSocketAddress bound = node.tcp().listen(listen);
                Authorities.storeRoute(entity, Route.of(Address.tcp(advertised(bound)), Address.of(LISTENER)));
                UntilSignal.await("AUTHORITY " + bound.getPort() + " " + entity.identifier(), node::stop);
            }
            return 0;
        }

        private String advertised(InetSocketAddress bound) {
            if (advertise != null) {
                return advertise;
            }
            String host = listen.substring(0, listen.lastIndexOf(':'));
            if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "listening on all addresses: give --advertise HOST:PORT, where members reach"
                        + " this authority");
            }
            return host + ":" + bound.getPort();
        }
    }

    @Command(name = "ticket", mixinStandardHelpOptions = true,
            description = {"Prints a one-time enrollment ticket (one line): whoever presents it with 'hopseal enroll' gets a",
                    "credential with these attributes. It names the authority and where it listens ('authority serve' keeps",
                    "that in the vault; --route overrides it), and works while 'authority serve' runs on the same vault.",
                    "The ticket is a secret: hand it over as you would a password."},
            footer = {"", "Examples:", "  hopseal authority ticket --vault file:authority.vault --attr role=web --attr env=prod > web.ticket",
                    "  hopseal authority ticket --vault file:authority.vault --attr role=db --ttl 1h --uses 3"})
    static final class Ticket implements Callable<Integer> {
        @Option(names = "--attr", paramLabel = "NAME=VALUE", converter = AttributeConverter.class,
                description = "an attribute the enrolled identity gets (repeatable)")
        List<Map.Entry<String, String>> attributes = new ArrayList<>();

        @Option(names = "--ttl", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "how long the ticket may be used (default 10m, at most 30 days)")
        Duration ttl;

        @Option(names = "--uses", defaultValue = "1", paramLabel = "N", description = "how many identities may enroll with it (default 1)")
        int uses;

        @Option(names = "--route", paramLabel = "HOST:PORT", description = "where members reach the authority (default: what 'authority serve' stored)")
        String route;

        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            Map<String, String> attrs = AttributeConverter.toMap(attributes);
            try (Vaults vaults = vault.openShared(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                Entity entity = vault.existingEntity(node.context(), vaults);
                Route toListener = route != null ? Route.of(Address.tcp(route), Address.of(LISTENER))
                        : Authorities.storedRoute(entity).orElseThrow(() -> new CredentialException(ErrorKind.NOT_FOUND,
                                "this vault's authority has not said where it listens: start 'hopseal authority serve' on it, or give --route HOST:PORT"));
                EnrollmentTicket ticket = entity.issueEnrollmentTicket(toListener, attrs, ttl, uses);
                System.out.println(ticket.toText());
            }
            return 0;
        }
    }
}
