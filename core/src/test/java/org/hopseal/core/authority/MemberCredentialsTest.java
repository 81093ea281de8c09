package org.hopseal.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.node.HopsealNode;
import org.hopseal.api.routing.Route;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.testing.Await;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member's credentials ({@link CoreMemberCredentials}) against a real authority service whose clock the test sets:
 * what is due when they are loaded is renewed and stored before start returns, what is not due is left alone, a failed
 * renewal is retried no sooner than a second later, and the renewal thread sleeps between checks and ends at once on
 * close (which may be called again) or when the node stops.
 */
@Timeout(60)
class MemberCredentialsTest {
    private static final Route LISTENER = Route.of("authority-listener");
    private static final Duration BOUND = Duration.ofSeconds(10);

    private HopsealNode node;
    private final List<Vaults> opened = new ArrayList<>();
    /** The authority's clock; {@code null} for the real time. */
    private volatile Instant authorityNow;
    private CoreEntity authority;
    private CoreEntity member;

    @BeforeEach
    void start() throws Exception {
        node = HopsealNode.start();
        authority = entity(() -> {
            Instant now = authorityNow;
            return now != null ? now : Instant.now();
        });
        member = entity(InstantSource.system());
        authority.createSecureChannelListener("authority-listener");
        node.authority(authority).reachableThrough("authority-listener").credentialTtl(Duration.ofHours(1)).start();
    }

    @AfterEach
    void stop() {
        node.stop();
        opened.forEach(Vaults::close);
    }

    private CoreEntity entity(InstantSource clock) throws HopsealException {
        Vaults v = SoftwareVault.vaults();
        opened.add(v);
        return CoreEntity.create(node.context(), v, KeyType.ED25519, clock);
    }

    /** Enrolls the member with the authority's clock at {@code authorityTime}: a credential valid for an hour from then. */
    private Credential enrollAt(Instant authorityTime) throws HopsealException {
        authorityNow = authorityTime;
        return node.enroll(member, authority.issueEnrollmentTicket(LISTENER, Map.of("role", "web"), Duration.ofMinutes(10), 1));
    }

    /**
     * Enrolls the member, then replaces its stored credential by one the authority signed for an hour from
     * {@code issued}, as if the member had last run then. (The authority's clock cannot be set back that far: it
     * would refuse the member's channel key attestation as valid too long.)
     */
    private Credential enrolledAt(Instant issued) throws HopsealException {
        enrollAt(null);
        SigningVault keys = authority.vaults().identity();
        byte[] body = Credential.body(authority.identifier(), authority.changeHistory().encoded(), member.identifier(),
                HexFormat.of().parseHex(member.identifier().value().substring(1)), Map.of("role", "web"), issued, issued.plus(Duration.ofHours(1)));
        Credential credential = Credential.of(body, keys.sign(keys.find(authority.changeHistory().currentKey()).orElseThrow(),
                Credential.signedBytes(body)));
        new MemberRecords(member).put(credential, LISTENER);
        return credential;
    }

    private CoreMemberCredentials memberCredentials() throws HopsealException {
        return (CoreMemberCredentials) node.memberCredentials(member);
    }

    private List<Credential> stored() throws HopsealException {
        return new MemberRecords(member).all().stream().map(MemberRecords.Enrolled::credential).toList();
    }

    private String memberRecord() {
        return "authority/" + authority.identifier() + "/member/" + member.identifier();
    }

    @Test
    void aCredentialDueWhenLoadedIsRenewedAndStoredBeforeStartReturns() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Issued 50 minutes ago for an hour: two thirds of its life passed 10 minutes ago.
        Credential old = enrolledAt(now.minus(Duration.ofMinutes(50)));
        authorityNow = now;

        Credential renewed;
        try (CoreMemberCredentials credentials = memberCredentials()) {
            renewed = credentials.current().get(0);
            assertThat(credentials.current()).hasSize(1);
        }

        assertThat(renewed).isNotEqualTo(old);
        assertThat(renewed.issuedAt()).isEqualTo(now);
        assertThat(renewed.expiresAt()).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(renewed.attributes()).isEqualTo(Map.of("role", "web"));
        assertThat(stored()).as("the renewed credential replaced the old one in the member's vault").containsExactly(renewed);
    }

    @Test
    void aCredentialThatIsNotDueIsPresentedAsStoredAndNotRenewed() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Credential fresh = enrollAt(now);
        // Any renewal from now on would be issued a minute later, and so differ.
        authorityNow = now.plus(Duration.ofMinutes(1));

        try (CoreMemberCredentials credentials = memberCredentials()) {
            assertThat(credentials.current()).as("not renewed by start").containsExactly(fresh);
            // The renewer checks at once when it starts, then sleeps for a second at most: a renewal, if it made one,
            // would show within that second.
            assertThat(Await.holds(Duration.ofSeconds(1), () -> !credentials.current().equals(List.of(fresh))))
                    .as("renewed by the renewer although not due").isFalse();
        }
        assertThat(stored()).containsExactly(fresh);
    }

    @Test
    void aFailedRenewalIsRetriedAfterASecondAndKeepsTheCredentialMeanwhile() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Due long ago, and expires in about 3 s: a tenth of that is less than the second a retry waits at least.
        Credential old = enrolledAt(now.minus(Duration.ofHours(1)).plusSeconds(3));
        SigningVault authorityVault = authority.vaults().identity();
        byte[] membership = authorityVault.record(memberRecord()).orElseThrow();
        authorityVault.deleteRecord(memberRecord()); // the authority refuses a renewal to a non-member

        Instant started = Instant.now();
        try (CoreMemberCredentials credentials = memberCredentials()) {
            assertThat(credentials.current()).as("the credential is kept after a failed renewal").containsExactly(old);
            authorityVault.putRecord(memberRecord(), membership);

            Await.await("renewed on a retry", BOUND, () -> !credentials.current().equals(List.of(old)));
            Instant renewedAt = Instant.now();

            assertThat(Duration.between(started, renewedAt)).as("the retry waited at least a second").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            Credential renewed = credentials.current().get(0);
            assertThat(renewed.expiresAt()).isAfter(old.expiresAt().plus(Duration.ofMinutes(59)));
            assertThat(stored()).containsExactly(renewed);
        }
    }

    @Test
    void anExpiredCredentialThatCouldNotBeRenewedIsNoLongerPresented() throws Exception {
        // Expired an hour ago, and the authority refuses to renew it.
        Credential expired = enrolledAt(Instant.now().minus(Duration.ofHours(2)));
        authority.vaults().identity().deleteRecord(memberRecord());
        CoreEntity server = entity(InstantSource.system());
        server.createSecureChannelListener("server", SecureChannelOptions.defaults().withAuthorities(Set.of(authority.identifier()))
                .withTrustPolicy(peer -> true));

        try (CoreMemberCredentials credentials = memberCredentials()) {
            assertThat(credentials.current()).as("nothing valid to present").isEmpty();
            assertThat(stored()).as("still stored, for a later renewal").containsExactly(expired);
            // A peer that trusts the authority refuses a handshake with an expired credential in it; with none it admits.
            assertThat(member.createSecureChannel(Route.of("server"), SecureChannelOptions.defaults().withCredentials(credentials)))
                    .isNotNull();
        }
    }

    @Test
    void aCredentialIsPresentedUntilTheInstantItExpiresAndRenewedAfterwardsOnceItsAuthorityAnswers() throws Exception {
        // Expires in 2 s and cannot be renewed; the renewer retries every second meanwhile.
        Credential expiring = enrolledAt(Instant.now().minus(Duration.ofHours(1)).plusSeconds(2));
        SigningVault authorityVault = authority.vaults().identity();
        byte[] membership = authorityVault.record(memberRecord()).orElseThrow();
        authorityVault.deleteRecord(memberRecord());

        try (CoreMemberCredentials credentials = memberCredentials()) {
            assertThat(credentials.current()).containsExactly(expiring);
            Await.await("the expired credential is no longer presented", BOUND, () -> credentials.current().isEmpty());
            assertThat(Instant.now()).as("not before it expired").isAfterOrEqualTo(expiring.expiresAt());

            authorityVault.putRecord(memberRecord(), membership);
            Await.await("renewed once the authority answers again", BOUND, () -> !credentials.current().isEmpty());
            assertThat(credentials.current().get(0).expiresAt()).isAfter(expiring.expiresAt().plus(Duration.ofMinutes(59)));
        }
    }

    @Test
    void theRenewerSleepsBetweenChecksAndEndsAtOnceOnCloseWhichMayBeCalledAgain() throws Exception {
        enrollAt(null);
        CoreMemberCredentials credentials = memberCredentials();
        Thread renewer = credentials.renewer();
        // Nothing is due for 40 minutes: the renewer checks once, then waits (a second at most, to notice a stopped node).
        Await.await("the renewer sleeps", BOUND, () -> renewer.getState() == Thread.State.TIMED_WAITING);

        CompletableFuture.runAsync(credentials::close).get(BOUND.toSeconds(), TimeUnit.SECONDS);

        assertThat(renewer.join(Duration.ofMillis(500))).as("the renewer ended well before its next wake-up").isTrue();
        // try-with-resources after an explicit close: the ended renewer holds nothing a second close waits for.
        CompletableFuture.runAsync(credentials::close).get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void theRenewerEndsWhenTheNodeStops() throws Exception {
        enrollAt(null);
        CoreMemberCredentials credentials = memberCredentials();

        node.stop();

        assertThat(credentials.renewer().join(BOUND)).isTrue();
    }
}
