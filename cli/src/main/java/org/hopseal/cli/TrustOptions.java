package org.hopseal.cli;

import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.TrustEveryonePolicy;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.identity.TrustPolicy;
import picocli.CommandLine.Option;

/** The {@code --trust any|ID...} option. */
final class TrustOptions {
    @Option(names = "--trust", split = ",", paramLabel = "any|ID",
            description = "whom to accept once authenticated: 'any' (the default) or identifiers (repeat or comma-separate)")
    List<String> trust = new ArrayList<>(List.of("any"));

    TrustPolicy policy() throws IdentityException {
        return policyOf(trust);
    }

    /** The policy of {@code any} or identifiers, as {@code --trust} takes them. */
    static TrustPolicy policyOf(List<String> trust) throws IdentityException {
        if (trust.contains("any")) {
            return new TrustEveryonePolicy();
        }
        TrustPolicy p = peer -> false;
        for (String id : trust) {
            p = p.or(new TrustIdentifierPolicy(identifier(id)));
        }
        return p;
    }

    static Identifier identifier(String id) throws IdentityException {
        try {
            return new Identifier(id);
        } catch (IllegalArgumentException e) {
            throw new IdentityException(ErrorKind.INVALID, "'" + id + "' is not an identifier: " + e.getMessage());
        }
    }
}
