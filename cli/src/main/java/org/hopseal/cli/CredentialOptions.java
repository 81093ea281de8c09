package org.hopseal.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.policy.Policy;
import picocli.CommandLine.Option;

/** The {@code --authority}, {@code --credential} and {@code --policy} options of the commands that open or accept channels. */
final class CredentialOptions {
    @Option(names = "--authority", split = ",", paramLabel = "ID",
            description = "an authority whose credentials peers may present (repeat or comma-separate); their attributes go to --policy")
    List<String> authorities = new ArrayList<>();

    @Option(names = "--credential", paramLabel = "FILE|-",
            description = "the credential to present (as 'hopseal credential issue' prints it); default: those 'hopseal enroll' stored")
    String credential;

    @Option(names = "--policy", paramLabel = "EXPR",
            description = "what the peer must satisfy besides --trust, e.g. 'subject.role = \"web\" and subject.env in [\"prod\", \"staging\"]'")
    String policy;

    /**
     * {@code base} with these options: the authorities, the trust policy {@code trust} and {@code --policy}, and the
     * credentials to present ({@link #source}).
     */
    SecureChannelOptions apply(SecureChannelOptions base, TrustPolicy trust, CredentialSource presented) throws HopsealException {
        Set<Identifier> trusted = new LinkedHashSet<>();
        for (String id : authorities) {
            trusted.add(TrustOptions.identifier(id));
        }
        TrustPolicy combined = policy == null ? trust : trust.and(Policy.parse(policy));
        return base.withAuthorities(trusted).withTrustPolicy(combined).withCredentials(presented);
    }

    /** What {@code entity} presents: {@code --credential}, else the credentials it enrolled for, renewed as they age. */
    CredentialSource source(HopsealNode node, Entity entity) throws HopsealException {
        if (credential != null) {
            Credential c = Credential.parse(TextInput.read(credential, "credential"));
            if (!c.subject().equals(entity.identifier())) {
                throw new CredentialException(ErrorKind.INVALID, "the credential in " + credential + " is about " + c.subject()
                        + ", not this identity (" + entity.identifier() + ")");
            }
            return CredentialSource.of(c);
        }
        return node.memberCredentials(entity);
    }
}
