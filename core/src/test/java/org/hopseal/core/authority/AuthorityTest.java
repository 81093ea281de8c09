package org.hopseal.core.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.credential.Authority;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.credential.MemberCredentials;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An authority's service through the API: a ticket enrolls once and is refused after its uses, its time, a tamper or
 * for another authority; members renew their credentials, which keeps a channel that requires {@code role=web} open
 * across several expiries; use counts and members survive a restart of the service.
 */
@Timeout(60)
class AuthorityTest {
    private static final Route LISTENER = Route.of("authority-listener");

    private HopsealNode node;
    private Context ctx;
    private final List<Vaults> opened = new ArrayList<>();
    private final Instant[] authorityNow = {Instant.now()};
    private CoreEntity authorityEntity;
    private CoreEntity member;
    private Authority service;

    @BeforeEach
    void start() throws Exception {
        node = HopsealNode.start();
        ctx = node.context();
        authorityEntity = entity(() -> authorityNow[0] != null ? authorityNow[0] : Instant.now());
        member = entity(InstantSource.system());
        authorityEntity.createSecureChannelListener("authority-listener");
        service = node.authority(authorityEntity).reachableThrough("authority-listener").credentialTtl(Duration.ofHours(1)).start();
    }

    @AfterEach
    void stop() {
        node.stop();
        opened.forEach(Vaults::close);
    }

    private CoreEntity entity(InstantSource clock) throws HopsealException {
        Vaults v = SoftwareVault.vaults();
        opened.add(v);
        return CoreEntity.create(ctx, v, KeyType.ED25519, clock);
    }

    private EnrollmentTicket ticket(int uses) throws HopsealException {
        return authorityEntity.issueEnrollmentTicket(LISTENER, Map.of("role", "web"), Duration.ofMinutes(10), uses);
    }

    @Test
    void aTicketEnrollsOnceAndIsRefusedTheSecondTime() throws Exception {
        EnrollmentTicket ticket = EnrollmentTicket.parse(ticket(1).toText());

        Credential credential = node.enroll(member, ticket);

        assertThat(credential.subject()).isEqualTo(member.identifier());
        assertThat(credential.authority()).isEqualTo(authorityEntity.identifier());
        assertThat(credential.attributes()).isEqualTo(Map.of("role", "web"));
        assertThat(Duration.between(credential.issuedAt(), credential.expiresAt())).isEqualTo(Duration.ofHours(1));
        CoreEntity second = entity(InstantSource.system());
        assertThatThrownBy(() -> node.enroll(second, ticket)).isInstanceOf(CredentialException.class)
                .hasMessageContaining("refused: the ticket was used 1 time(s) already");
        Await.await("every request's channel is closed, at both ends", Duration.ofSeconds(5),
                () -> SecureChannelRegistry.of(Node.of(ctx)).all().isEmpty());
    }

    @Test
    void aTicketServesAsManyEnrollmentsAsItAllows() throws Exception {
        EnrollmentTicket ticket = ticket(2);
        node.enroll(member, ticket);
        node.enroll(entity(InstantSource.system()), ticket);
        assertThatThrownBy(() -> node.enroll(entity(InstantSource.system()), ticket)).hasMessageContaining("used 2 time(s) already");
    }

    @Test
    void anExpiredTicketIsRefused() throws Exception {
        EnrollmentTicket ticket = ticket(1);
        authorityNow[0] = authorityNow[0].plus(Duration.ofMinutes(11));
        assertThatThrownBy(() -> node.enroll(member, ticket)).isInstanceOf(CredentialException.class)
                .hasMessageContaining("the ticket expired at " + ticket.expiresAt());
    }

    @Test
    void aTamperedTicketIsRefused() throws Exception {
        EnrollmentTicket good = ticket(1);
        // The same signature over a body that asks for more.
        byte[] body = EnrollmentTicket.body(good.authority(), good.route(), good.id(), Map.of("role", "admin"), good.expiresAt(), 1);
        EnrollmentTicket tampered = EnrollmentTicket.of(body, good.signature());
        assertThatThrownBy(() -> node.enroll(member, tampered)).hasMessageContaining("the ticket's signature does not verify");
        assertThat(node.enroll(member, good).attributes()).as("the untampered ticket still has its use").containsEntry("role", "web");
    }

    @Test
    void aTicketOfAnotherAuthorityIsRefusedByTheChannelToTheAuthorityItNames() throws Exception {
        CoreEntity other = entity(InstantSource.system());
        EnrollmentTicket foreign = other.issueEnrollmentTicket(LISTENER, Map.of("role", "web"), Duration.ofMinutes(10), 1);
        // The ticket names the other authority, but the listener on its route is this one: the member refuses it.
        assertHopsealError(ErrorKind.UNTRUSTED, () -> node.enroll(member, foreign));
    }

    @Test
    void aRenewalFromSomeoneWhoNeverEnrolledIsRefused() throws Exception {
        assertThatThrownBy(() -> Enrollment.request(Node.of(ctx), member, authorityEntity.identifier(), LISTENER,
                new AuthorityMessage.Renew())).isInstanceOf(CredentialException.class)
                .hasMessageContaining("is not a member of authority " + authorityEntity.identifier());
    }

    @Test
    void useCountsAndMembersSurviveARestartOfTheService() throws Exception {
        EnrollmentTicket ticket = ticket(1);
        node.enroll(member, ticket);
        service.close();
        service = node.authority(authorityEntity).reachableThrough("authority-listener").start();

        assertThatThrownBy(() -> node.enroll(entity(InstantSource.system()), ticket)).hasMessageContaining("used 1 time(s) already");
        Credential renewed = Enrollment.request(Node.of(ctx), member, authorityEntity.identifier(), LISTENER, new AuthorityMessage.Renew());
        assertThat(renewed.attributes()).isEqualTo(Map.of("role", "web"));
    }

    @Test
    void theServiceIsItsAuthoritysAndTheRouteMembersReachItByIsKeptBesideIt() throws Exception {
        Route route = Route.of(Address.tcp("10.0.0.1:4000"), Address.of("authority-listener"));
        assertThat(service.identifier()).isEqualTo(authorityEntity.identifier());
        assertThat(Authorities.storedRoute(authorityEntity)).isEmpty();

        Authorities.storeRoute(authorityEntity, route);

        assertThat(Authorities.storedRoute(authorityEntity)).contains(route);
        assertThat(Authorities.storedRoute(member)).as("another identity's").isEmpty();
    }

    @Test
    void aStartWithoutListenersOrWithAnInvalidTtlIsRefused() {
        assertThatThrownBy(() -> node.authority(authorityEntity).start()).hasMessageContaining("reachableThrough");
        assertThatThrownBy(() -> node.authority(authorityEntity).reachableThrough("x").credentialTtl(Duration.ofDays(400)).start())
                .hasMessageContaining("at most 366 days");
    }

    @Test
    void memberCredentialsAreRenewedAndKeepAChannelThatRequiresThemOpen() throws Exception {
        service.close();
        service = node.authority(authorityEntity).reachableThrough("authority-listener").credentialTtl(Duration.ofSeconds(3)).start();
        authorityNow[0] = null; // from now on the authority tells the real time
        CoreEntity realTimeAuthority = authorityEntity;
        node.enroll(member, realTimeAuthority.issueEnrollmentTicket(LISTENER, Map.of("role", "web"), Duration.ofMinutes(1), 1));
        BlockingQueue<Routed<String>> received = new LinkedBlockingQueue<>();
        ctx.startWorker("inbox", String.class, (Worker<String>) (c, m) -> received.add(m));
        CoreEntity server = entity(InstantSource.system());
        server.createSecureChannelListener("web", SecureChannelOptions.defaults().withAuthorities(Set.of(realTimeAuthority.identifier()))
                .withTrustPolicy(peer -> "web".equals(peer.attributes().get("role"))));

        try (MemberCredentials credentials = node.memberCredentials(member)) {
            Credential first = credentials.current().get(0);
            Address channel = member.createSecureChannel(Route.of("web"), SecureChannelOptions.defaults().withCredentials(credentials));
            // Renewed at two thirds of each 3 s life (at 2 s and 4 s): the channel carries messages across the first
            // credential's expiry (3 s) and the first renewal's (5 s), and ends 3 s after the second renewal was due.
            Instant end = first.expiresAt().plusSeconds(4);
            while (Instant.now().isBefore(end)) {
                ctx.send(Route.of(channel, Address.of("inbox")), "ping");
                Routed<String> m = received.poll(5, TimeUnit.SECONDS);
                assertThat(m).as("the channel still carries messages").isNotNull();
                assertThat(m.peerAttributes()).containsEntry("role", "web");
                Thread.sleep(300);
            }
            assertThat(credentials.current().get(0).expiresAt()).as("renewed more than once").isAfter(first.expiresAt().plusSeconds(2));
        }
    }
}
