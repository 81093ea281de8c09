package org.hopseal.core.authority;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.hopseal.api.credential.Authority;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.AccessControl;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Exposure;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.log.LogText;
import org.hopseal.core.log.RateLimitedLog;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authority's service: a worker at {@link Authority#SERVICE} that takes {@link AuthorityMessage.Enroll} and
 * {@link AuthorityMessage.Renew} out of its listeners' channels, and answers each with a credential for the channel's
 * peer or a refusal. A ticket must be signed by the authority's key in force, unexpired, and have uses left; its use
 * is counted in the vault before the credential leaves, so a crash never lets a ticket serve once more than allowed.
 * One worker handles one request at a time, so two members racing for a ticket's last use cannot both win.
 *
 * <p>Thread safety: thread safe.
 */
final class CoreAuthority implements Authority {
    private static final Logger LOG = LoggerFactory.getLogger(CoreAuthority.class);
    /** Any peer of the listeners can make requests fail: one line per interval. */
    private static final RateLimitedLog REFUSALS = RateLimitedLog.warnings(LOG);

    private final Node node;
    private final CoreEntity entity;
    private final Duration credentialTtl;
    private final AuthorityRecords records;

    private CoreAuthority(Node node, CoreEntity entity, Duration credentialTtl) {
        this.node = node;
        this.entity = entity;
        this.credentialTtl = credentialTtl;
        this.records = new AuthorityRecords(entity.vaults().identity(), entity.identifier());
    }

    @Override
    public Identifier identifier() {
        return entity.identifier();
    }

    @Override
    public void close() {
        node.stopWorker(Address.of(SERVICE), "authority service stopped");
    }

    private void handle(Context ctx, LocalMessage m) throws HopsealException {
        AuthorityMessage answer;
        try {
            answer = answer(m);
        } catch (DecodeException e) {
            answer = new AuthorityMessage.Refused("malformed request: " + e.getMessage());
        } catch (HopsealException e) {
            answer = new AuthorityMessage.Refused(e.getMessage());
        }
        if (answer instanceof AuthorityMessage.Refused refused) {
            REFUSALS.warn("authority {} refused a request from {}: {}", entity.identifier(), LogText.of(m.origin()),
                    LogText.of(refused.reason()));
        }
        ctx.forward(new LocalMessage(TransportMessage.wrap(m.returnRoute(), Route.of(ctx.address()), AuthorityMessage.encode(answer))));
    }

    private AuthorityMessage answer(LocalMessage m) throws HopsealException {
        if (!(m.origin() instanceof Origin.Channel channel) || channel.peer().isEmpty()) {
            throw new CredentialException(ErrorKind.UNTRUSTED, "an authority answers only through an authenticated secure channel");
        }
        Identifier member = channel.peer().get();
        return switch (AuthorityMessage.decode(Payloads.of(m.transportMessage()))) {
            case AuthorityMessage.Enroll enroll -> enroll(member, EnrollmentTicket.decode(enroll.ticket()));
            case AuthorityMessage.Renew renew -> {
                AuthorityRecords.Member known = records.member(member).orElseThrow(() -> new CredentialException(ErrorKind.NOT_FOUND,
                        member + " is not a member of authority " + entity.identifier() + ": enroll with a ticket first"));
                yield issue(member, known.attributes());
            }
            default -> throw new DecodeException("expected an enrollment or a renewal");
        };
    }

    private AuthorityMessage enroll(Identifier member, EnrollmentTicket ticket) throws HopsealException {
        if (!ticket.authority().equals(entity.identifier())) {
            throw new CredentialException(ErrorKind.INVALID, "the ticket is for authority " + ticket.authority() + ", not this one");
        }
        try {
            entity.vaults().verifier().verify(entity.changeHistory().currentKey(), EnrollmentTicket.signedBytes(ticket.body()),
                    ticket.signature());
        } catch (AuthenticationFailedException e) {
            throw new CredentialException(ErrorKind.AUTHENTICATION, "the ticket's signature does not verify");
        }
        Instant now = entity.clock().instant();
        if (!now.isBefore(ticket.expiresAt())) {
            throw new CredentialException(ErrorKind.INVALID, "the ticket expired at " + ticket.expiresAt());
        }
        int used = records.ticketUses(ticket.id());
        if (used >= ticket.uses()) {
            throw new CredentialException(ErrorKind.UNTRUSTED, "the ticket was used " + used + " time(s) already, all it allows");
        }
        records.putTicketUses(ticket.id(), used + 1);
        records.putMember(member, ticket.attributes(), now);
        LOG.info("authority {} enrolled {} with {}", entity.identifier(), member, ticket.attributes());
        return issue(member, ticket.attributes());
    }

    private AuthorityMessage issue(Identifier member, Map<String, String> attributes) throws HopsealException {
        Credential credential = entity.issueCredential(member, attributes, credentialTtl);
        return new AuthorityMessage.Issued(credential.encoded());
    }

    /** The worker at {@link Authority#SERVICE}. */
    private final class Service implements Worker<LocalMessage> {
        @Override
        public void handleMessage(Context ctx, Routed<LocalMessage> msg) throws HopsealException {
            handle(ctx, msg.body());
        }
    }

    /** The builder behind {@link org.hopseal.api.node.HopsealNode#authority}. */
    static final class Builder implements Authority.Builder {
        private final Node node;
        private final CoreEntity entity;
        private String[] listeners = new String[0];
        private Duration credentialTtl = DEFAULT_CREDENTIAL_TTL;

        Builder(Node node, CoreEntity entity) {
            this.node = node;
            this.entity = Objects.requireNonNull(entity, "entity");
        }

        @Override
        public Authority.Builder reachableThrough(String... listeners) {
            for (String l : listeners) {
                Address.of(l);
            }
            this.listeners = listeners.clone();
            return this;
        }

        @Override
        public Authority.Builder credentialTtl(Duration ttl) {
            this.credentialTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        @Override
        public Authority start() throws HopsealException {
            if (listeners.length == 0) {
                throw new CredentialException(ErrorKind.INVALID, "an authority service needs the secure-channel listeners whose channels"
                        + " may reach it (reachableThrough)");
            }
            // Fails early on a time to live the entity would refuse for every credential.
            entity.issueCredential(entity.identifier(), Map.of(), credentialTtl);
            CoreAuthority authority = new CoreAuthority(node, entity, credentialTtl);
            node.startWorker(Address.of(SERVICE), LocalMessage.class, authority.new Service(),
                    WorkerOptions.service(Exposure.channelsOf(listeners), AccessControl.allowAll()));
            return authority;
        }
    }
}
