package org.hopseal.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.vault.Vaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hopseal credential issue|show}. */
@Command(name = "credential", mixinStandardHelpOptions = true, description = "Issues credentials offline, and shows them.",
        subcommands = {CredentialCommand.Issue.class, CredentialCommand.Show.class})
final class CredentialCommand {

    /** {@code role=web,env=prod}, by name; {@code -} for none. */
    static String attributes(Credential c) {
        return c.attributes().isEmpty() ? "-" : c.attributes().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Signs, as the vault's identity (the authority), a credential that the identity --for has these",
                    "attributes, and prints it as one line. A subject that rotated its key needs its history imported first",
                    "('hopseal identity import'), or the credential names its old key and is refused."},
            footer = {"", "Examples:", "  hopseal credential issue --vault file:authority.vault --for I3f2a... --attr role=web --ttl 8h > web.cred"})
    static final class Issue implements Callable<Integer> {
        @Option(names = "--for", required = true, paramLabel = "ID", description = "the subject's identifier")
        String subject;

        @Option(names = "--attr", paramLabel = "NAME=VALUE", converter = AttributeConverter.class,
                description = "an attribute of the subject (repeatable)")
        List<Map.Entry<String, String>> attributes = new ArrayList<>();

        @Option(names = "--ttl", defaultValue = "24h", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "how long the credential is valid (default 24h, at most 366 days)")
        Duration ttl;

        @Mixin
        VaultOptions vault;

        @Override
        public Integer call() throws Exception {
            Map<String, String> attrs = AttributeConverter.toMap(attributes);
            try (Vaults vaults = vault.openShared(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
                Entity entity = vault.existingEntity(node.context(), vaults);
                System.out.println(entity.issueCredential(TrustOptions.identifier(subject), attrs, ttl).toText());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Prints a credential readably: its authority, subject, attributes and validity. It checks the form only;",
                    "a peer checks the signature and whether it trusts the authority."},
            footer = {"", "Examples:", "  hopseal credential show web.cred", "  hopseal credential issue ... | hopseal credential show -"})
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "FILE|-", description = "the file holding the credential, or '-' for standard input")
        String file;

        @Override
        public Integer call() throws Exception {
            Credential c = Credential.parse(TextInput.read(file, "credential"));
            Instant now = Instant.now();
            System.out.println("authority:  " + c.authority());
            System.out.println("subject:    " + c.subject());
            System.out.println("attributes: " + attributes(c));
            System.out.println("issued:     " + c.issuedAt());
            System.out.println("expires:    " + c.expiresAt() + (now.isBefore(c.expiresAt())
                    ? " (in " + Duration.between(now, c.expiresAt()).withNanos(0) + ")" : " (expired)"));
            return 0;
        }
    }
}
