package org.hopseal.api.credential;

import java.time.Duration;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;

/**
 * An authority's service on its node: a worker at {@value #SERVICE}, reachable only through secure channels of the
 * listeners given to {@link Builder#reachableThrough}, that enrolls identities presenting a valid
 * {@link EnrollmentTicket} (made with {@code Entity.issueEnrollmentTicket}) and gives enrolled members fresh
 * credentials for the attributes they enrolled with. Its members, and the uses of each ticket, are kept in the
 * authority's vault, so a restart forgets neither.
 *
 * <p>Start it with {@code HopsealNode.authority(entity).reachableThrough("secure").start()}.
 *
 * @since 0.3
 */
public interface Authority extends AutoCloseable {
    /** The service's address on its node. */
    String SERVICE = "authority";
    /** How long the credentials it issues are valid by default: one day (members renew them before they expire). */
    Duration DEFAULT_CREDENTIAL_TTL = Duration.ofDays(1);

    /** The authority's identifier, which verifiers trust. */
    Identifier identifier();

    /** Stops the service. */
    @Override
    void close();

    /** How an authority's service is configured. */
    interface Builder {
        /** The secure-channel listeners whose channels may reach the service (required). */
        Builder reachableThrough(String... listeners);

        /** How long issued credentials are valid ({@link #DEFAULT_CREDENTIAL_TTL} by default, at most 366 days). */
        Builder credentialTtl(Duration ttl);

        Authority start() throws HopsealException;
    }
}
