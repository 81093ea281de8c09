package org.hopseal.cli;

import java.util.concurrent.Callable;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.vault.Vaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hopseal enroll TICKET}: gets a credential from an authority with a one-time ticket, and keeps it in the vault. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Presents a one-time ticket ('hopseal authority ticket') to its authority over a secure channel, as the",
                "vault's identity (made if the vault holds none), and keeps the credential it gets in the vault, where",
                "'node', 'send' and 'inlet' find it and renew it before it expires. Prints",
                "'ENROLLED <identifier> <attributes> <authority> <expiry>'."},
        footer = {"", "Examples:", "  hopseal enroll - --vault file:web.vault < web.ticket",
                "  hopseal enroll \"$(cat web.ticket)\" --vault file:web.vault --identity web"})
final class EnrollCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TICKET|-", description = "the ticket, or '-' to read it from standard input (kept out of the process list)")
    String ticket;

    @Mixin
    VaultOptions vault;

    @Override
    public Integer call() throws Exception {
        EnrollmentTicket t = EnrollmentTicket.parse(ticket.equals("-") ? TextInput.read("-", "ticket") : ticket);
        try (Vaults vaults = vault.openOrCreate(); HopsealNode node = HopsealNode.builder().vaults(vaults).start()) {
            node.tcp();
            Entity entity = vault.entity(node.context(), vaults);
            Credential credential = node.enroll(entity, t);
            System.out.println("ENROLLED " + entity.identifier() + " " + CredentialCommand.attributes(credential) + " "
                    + credential.authority() + " " + credential.expiresAt());
        }
        return 0;
    }
}
