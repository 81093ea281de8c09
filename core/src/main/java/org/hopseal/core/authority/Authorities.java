package org.hopseal.core.authority;

import java.util.Optional;
import org.hopseal.api.credential.Authority;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.credential.MemberCredentials;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Entity;
import org.hopseal.api.routing.Route;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.node.Node;

/** Where a node's authority service, enrollments and member credentials are made. */
public final class Authorities {
    private Authorities() {
    }

    public static Authority.Builder service(Node node, Entity authority) {
        return new CoreAuthority.Builder(node, core(authority));
    }

    public static Credential enroll(Node node, Entity member, EnrollmentTicket ticket) throws HopsealException {
        return Enrollment.enroll(node, coreOrThrow(member), ticket);
    }

    public static MemberCredentials memberCredentials(Node node, Entity member) throws HopsealException {
        return CoreMemberCredentials.start(node, coreOrThrow(member));
    }

    /** Where {@code entity}'s authority service tells members to reach it (written by whoever runs the service). */
    public static void storeRoute(Entity authority, Route toListener) throws HopsealException {
        new AuthorityRecords(coreOrThrow(authority).vaults().identity(), authority.identifier()).putRoute(toListener);
    }

    /** The route stored by {@link #storeRoute}, if any. */
    public static Optional<Route> storedRoute(Entity authority) throws HopsealException {
        return new AuthorityRecords(coreOrThrow(authority).vaults().identity(), authority.identifier()).route();
    }

    private static CoreEntity core(Entity entity) {
        if (!(entity instanceof CoreEntity e)) {
            throw new IllegalArgumentException("not an entity of this runtime: " + entity);
        }
        return e;
    }

    private static CoreEntity coreOrThrow(Entity entity) throws IdentityException {
        if (!(entity instanceof CoreEntity e)) {
            throw new IdentityException(ErrorKind.INVALID, "not an entity of this runtime: " + entity);
        }
        return e;
    }
}
