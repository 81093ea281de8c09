package org.hopseal.core.authority;

import java.time.Duration;
import org.hopseal.api.credential.Authority;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.LocalMessage;
import org.hopseal.api.routing.Origin;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;
import org.hopseal.api.wire.Payloads;
import org.hopseal.api.worker.Exposure;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.node.Node;
import org.hopseal.core.node.NodeContext;

/** A member's requests to an authority: each over a secure channel of its own that accepts only that authority. */
final class Enrollment {
    /** How long a member waits for the authority's answer. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private Enrollment() {
    }

    /** Enrolls {@code member} with {@code ticket}, stores the credential in the member's vault, and returns it. */
    static Credential enroll(Node node, CoreEntity member, EnrollmentTicket ticket) throws HopsealException {
        Credential credential = request(node, member, ticket.authority(), ticket.route(), new AuthorityMessage.Enroll(ticket.encoded()));
        new MemberRecords(member).put(credential, ticket.route());
        return credential;
    }

    /** Asks {@code authority}, reached along {@code route}, for a credential; fails with its reason if it refuses. */
    static Credential request(Node node, CoreEntity member, Identifier authority, Route route, AuthorityMessage request)
            throws HopsealException {
        SecureChannelOptions options = SecureChannelOptions.defaults().withTrustPolicy(new TrustIdentifierPolicy(authority));
        Address channel = null;
        try (NodeContext answers = (NodeContext) node.context().newContext(Address.random(), Exposure.none())) {
            channel = member.createSecureChannel(route, options);
            answers.forward(new LocalMessage(TransportMessage.wrap(Route.of(channel, Address.of(Authority.SERVICE)),
                    Route.of(answers.address()), AuthorityMessage.encode(request))));
            LocalMessage reply = answers.receiveRouted(LocalMessage.class, ANSWER_TIMEOUT).body();
            if (!(reply.origin() instanceof Origin.Channel c) || !c.channel().equals(channel)) {
                throw new CredentialException(ErrorKind.PROTOCOL, "an answer came from elsewhere than authority " + authority);
            }
            return switch (AuthorityMessage.decode(Payloads.of(reply.transportMessage()))) {
                case AuthorityMessage.Issued issued -> check(Credential.decode(issued.credential()), authority, member.identifier());
                case AuthorityMessage.Refused refused -> throw new CredentialException(ErrorKind.UNTRUSTED,
                        "authority " + authority + " refused: " + refused.reason());
                default -> throw new DecodeException("expected a credential or a refusal");
            };
        } catch (DecodeException e) {
            throw new CredentialException(ErrorKind.PROTOCOL, "malformed answer from authority " + authority + ": " + e.getMessage(), e);
        } finally {
            if (channel != null) {
                node.stopWorker(channel, "request to the authority done");
            }
        }
    }

    private static Credential check(Credential credential, Identifier authority, Identifier member) throws CredentialException {
        if (!credential.authority().equals(authority) || !credential.subject().equals(member)) {
            throw new CredentialException(ErrorKind.PROTOCOL, "authority " + authority + " answered with a credential by "
                    + credential.authority() + " about " + credential.subject());
        }
        return credential;
    }
}
