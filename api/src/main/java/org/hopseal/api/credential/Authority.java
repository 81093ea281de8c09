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

    /**
     * {@return the authority's identifier, which verifiers trust}
     * ({@link org.hopseal.api.identity.SecureChannelOptions#withAuthorities})
     */
    Identifier identifier();

    /** Stops the service. */
    @Override
    void close();

    /**
     * How an authority's service is configured. A node runs at most one: the service's address is fixed
     * ({@value Authority#SERVICE}).
     */
    interface Builder {
        /**
         * The secure-channel listeners whose channels may reach the service (required): members reach it only through
         * channels those listeners accepted, never over a raw connection.
         *
         * @param listeners the listeners' local addresses, e.g. {@code "secure"}
         * @return this builder
         * @throws IllegalArgumentException if an address names a transport type above 255
         */
        Builder reachableThrough(String... listeners);

        /**
         * How long issued credentials are valid ({@link #DEFAULT_CREDENTIAL_TTL} by default, at most 366 days). Checked
         * when the service starts.
         *
         * @param ttl more than zero and at most 366 days
         * @return this builder
         */
        Builder credentialTtl(Duration ttl);

        /**
         * Starts the service at {@value Authority#SERVICE} on the node.
         *
         * @return the running service; close it to stop it
         * @throws HopsealException a {@code CredentialException} {@code INVALID} without listeners or for a
         *     credential time to live out of range; a {@code RoutingException} {@code ALREADY_EXISTS} if the node
         *     runs a service at {@value Authority#SERVICE} already, {@code SHUTDOWN} if it has stopped
         */
        Authority start() throws HopsealException;
    }
}
