package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Clock;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.CredentialSource;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.KeyAgreement;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustPolicy;
import org.hopseal.api.policy.Policy;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.Routed;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.worker.Context;
import org.hopseal.api.worker.Worker;
import org.hopseal.core.channel.SecureChannelRegistry;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Await;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Credentials inside secure channels: a listener that trusts an authority and requires {@code role=web} admits a
 * peer with that credential and refuses every other case; attributes reach workers with the messages; refreshed
 * credentials keep a channel open across expiries, and a channel whose policy needs attributes closes when they
 * expire unrenewed.
 */
@Timeout(60)
class CredentialChannelTest {
    private static final TrustPolicy WEB_ONLY = peer -> "web".equals(peer.attributes().get("role"));

    private Node node;
    private Context ctx;
    private final List<Vaults> opened = new ArrayList<>();
    private CoreEntity authority;
    private CoreEntity alice;
    private CoreEntity bob;
    private final BlockingQueue<Routed<String>> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        node = Node.start();
        ctx = node.context();
        ctx.startWorker("inbox", String.class, (Worker<String>) (c, m) -> received.add(m));
        authority = entity(InstantSource.system());
        alice = entity(InstantSource.system());
        bob = entity(InstantSource.system());
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

    private SecureChannelOptions bobAdmitsWeb(KeyAgreement agreement) {
        return SecureChannelOptions.defaults().withKeyAgreements(agreement).withAuthorities(Set.of(authority.identifier()))
                .withTrustPolicy(WEB_ONLY).withHandshakeTimeout(Duration.ofSeconds(5));
    }

    private static SecureChannelOptions presenting(KeyAgreement agreement, CredentialSource source) {
        return SecureChannelOptions.defaults().withKeyAgreements(agreement).withCredentials(source)
                .withHandshakeTimeout(Duration.ofSeconds(5));
    }

    private Credential role(CoreEntity by, CoreEntity subject, String role, Duration ttl) throws HopsealException {
        return by.issueCredential(subject.identifier(), Map.of("role", role, "env", "prod"), ttl);
    }

    /**
     * Waits until alice's channel end has consulted {@code consulted}'s source twice more: the first check sends what
     * changed in it to bob before the second runs, so a message sent afterwards reaches bob after the refresh.
     */
    private static void awaitRefreshSent(AtomicInteger consulted) throws InterruptedException {
        int before = consulted.get();
        Await.await("two more checks of alice's credential source", Duration.ofSeconds(15), () -> consulted.get() >= before + 2);
    }

    private Routed<String> sendAndReceive(Address channel, String text) throws Exception {
        ctx.send(Route.of(channel, Address.of("inbox")), text);
        Routed<String> m = received.poll(5, TimeUnit.SECONDS);
        assertThat(m).as("the message arrived").isNotNull();
        assertThat(m.body()).isEqualTo(text);
        return m;
    }

    private void assertRefused(KeyAgreement agreement, CredentialSource source) throws HopsealException {
        bob.createSecureChannelListener("bob", bobAdmitsWeb(agreement));
        assertHopsealError(ErrorKind.UNTRUSTED, () -> alice.createSecureChannel(Route.of("bob"), presenting(agreement, source)));
        assertThat(SecureChannelRegistry.of(node).all()).as("no channel end opened").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KeyAgreement.class)
    void aWebCredentialFromTheTrustedAuthorityIsAdmittedAndItsAttributesReachTheWorker(KeyAgreement agreement) throws Exception {
        bob.createSecureChannelListener("bob", bobAdmitsWeb(agreement));
        Address channel = alice.createSecureChannel(Route.of("bob"),
                presenting(agreement, CredentialSource.of(role(authority, alice, "web", Duration.ofHours(1)))));

        Routed<String> m = sendAndReceive(channel, "hello");

        assertThat(m.peerIdentifier()).contains(alice.identifier());
        assertThat(m.peerAttributes()).isEqualTo(Map.of("role", "web", "env", "prod"));
    }

    @ParameterizedTest
    @EnumSource(KeyAgreement.class)
    void aDbCredentialIsRefused(KeyAgreement agreement) throws Exception {
        assertRefused(agreement, CredentialSource.of(role(authority, alice, "db", Duration.ofHours(1))));
    }

    @Test
    void aWorkerWhoseAccessControlIsAPolicySeesOnlyPeersWithTheAttributes() throws Exception {
        ctx.startWorker(Address.of("web-only"), String.class, (Worker<String>) (c, m) -> received.add(m),
                Policy.parse("subject.role = \"web\""));
        bob.createSecureChannelListener("bob", bobAdmitsWeb(KeyAgreement.NOISE_XX).withTrustPolicy(peer -> true));
        Address web = alice.createSecureChannel(Route.of("bob"),
                presenting(KeyAgreement.NOISE_XX, CredentialSource.of(role(authority, alice, "web", Duration.ofHours(1)))));
        CoreEntity carol = entity(InstantSource.system());
        Address db = carol.createSecureChannel(Route.of("bob"),
                presenting(KeyAgreement.NOISE_XX, CredentialSource.of(role(authority, carol, "db", Duration.ofHours(1)))));

        ctx.send(Route.of(db, Address.of("web-only")), "from db");
        // Once the probe, sent after it on the same channel, is in, "from db" is in web-only's mailbox (or was
        // refused); "from web" is sent after that, so web-only takes it later than "from db".
        ctx.send(Route.of(db, Address.of("inbox")), "db probe");
        assertThat(poll()).isEqualTo("db probe");
        ctx.send(Route.of(web, Address.of("web-only")), "from web");

        assertThat(poll()).as("the db peer's message was refused before the worker").isEqualTo("from web");
    }

    /** The body of the next message that reaches the inbox or web-only. */
    private String poll() throws InterruptedException {
        Routed<String> m = received.poll(5, TimeUnit.SECONDS);
        assertThat(m).as("a message arrived").isNotNull();
        return m.body();
    }

    @Test
    void noCredentialIsRefused() throws Exception {
        assertRefused(KeyAgreement.NOISE_XX, CredentialSource.none());
    }

    @Test
    void aCredentialFromAnotherAuthorityIsIgnoredAndSoRefused() throws Exception {
        CoreEntity other = entity(InstantSource.system());
        assertRefused(KeyAgreement.NOISE_XX, CredentialSource.of(role(other, alice, "web", Duration.ofHours(1))));
    }

    @Test
    void aTamperedCredentialIsRefused() throws Exception {
        Credential good = role(authority, alice, "web", Duration.ofHours(1));
        byte[] signature = good.signature();
        signature[0] ^= 1;
        Credential tampered = Credential.of(good.body(), signature);
        assertRefused(KeyAgreement.NOISE_XX, CredentialSource.of(tampered));
    }

    @Test
    void anExpiredCredentialIsRefused() throws Exception {
        // The trusted authority issues from a clock two hours behind: valid for one hour, so expired an hour ago.
        authority = entity(InstantSource.offset(Clock.systemUTC(), Duration.ofHours(-2)));
        assertRefused(KeyAgreement.NOISE_XX, CredentialSource.of(role(authority, alice, "web", Duration.ofHours(1))));
    }

    @Test
    void aCredentialForAnotherSubjectIsRefused() throws Exception {
        assertRefused(KeyAgreement.NOISE_XX, CredentialSource.of(role(authority, bob, "web", Duration.ofHours(1))));
    }

    @Test
    void theInitiatorAppliesItsPolicyToTheListenersAttributes() throws Exception {
        bob.createSecureChannelListener("bob", presenting(KeyAgreement.NOISE_XX,
                CredentialSource.of(role(authority, bob, "db", Duration.ofHours(1)))));
        SecureChannelOptions aliceWantsDb = SecureChannelOptions.defaults().withAuthorities(Set.of(authority.identifier()))
                .withTrustPolicy(peer -> "db".equals(peer.attributes().get("role")));
        SecureChannelOptions aliceWantsWeb = aliceWantsDb.withTrustPolicy(WEB_ONLY);

        assertThat(alice.createSecureChannel(Route.of("bob"), aliceWantsDb)).isNotNull();
        assertThatThrownBy(() -> alice.createSecureChannel(Route.of("bob"), aliceWantsWeb))
                .hasMessageContaining("trust policy refused peer " + bob.identifier());
    }

    @Test
    void refreshedCredentialsKeepAChannelOpenAcrossSeveralExpiries() throws Exception {
        Duration ttl = Duration.ofSeconds(2);
        AtomicReference<Credential> current = new AtomicReference<>(role(authority, alice, "web", ttl));
        int[] issued = {1};
        // Renews once less than 1.2 s of the credential's life is left, as a source fetching from an authority would.
        CredentialSource renewing = () -> {
            Credential c = current.get();
            if (Instant.now().plusMillis(1200).isAfter(c.expiresAt())) {
                try {
                    c = role(authority, alice, "web", ttl);
                    issued[0]++;
                } catch (HopsealException e) {
                    throw new IllegalStateException(e);
                }
                current.set(c);
            }
            return List.of(c);
        };
        bob.createSecureChannelListener("bob", bobAdmitsWeb(KeyAgreement.NOISE_XX));
        Address channel = alice.createSecureChannel(Route.of("bob"), presenting(KeyAgreement.NOISE_XX, renewing));
        Instant firstExpiry = current.get().expiresAt();

        Instant end = firstExpiry.plusSeconds(5);
        while (Instant.now().isBefore(end)) {
            assertThat(sendAndReceive(channel, "still here").peerAttributes()).containsEntry("role", "web");
            Thread.sleep(250);
        }
        assertThat(issued[0]).as("credentials renewed across several expiries").isGreaterThanOrEqualTo(4);
        assertThat(SecureChannelRegistry.of(node).all()).as("both ends still open").hasSize(2);
    }

    @Test
    void aChannelWhosePolicyNeedsAttributesClosesWhenTheyExpireUnrenewed() throws Exception {
        Credential shortLived = role(authority, alice, "web", Duration.ofSeconds(2));
        bob.createSecureChannelListener("bob", bobAdmitsWeb(KeyAgreement.NOISE_XX));
        Address channel = alice.createSecureChannel(Route.of("bob"), presenting(KeyAgreement.NOISE_XX, CredentialSource.of(shortLived)));
        sendAndReceive(channel, "open");
        assertThat(SecureChannelRegistry.of(node).all()).hasSize(2);

        Await.await("both ends closed", Duration.ofSeconds(10), () -> SecureChannelRegistry.of(node).all().isEmpty());
        assertThat(Instant.now()).as("not before the credential expired").isAfterOrEqualTo(shortLived.expiresAt());
    }

    @Test
    void aChannelWhosePolicyDoesNotNeedThemStaysOpenAndItsMessagesLoseTheAttributes() throws Exception {
        Credential shortLived = role(authority, alice, "web", Duration.ofSeconds(2));
        bob.createSecureChannelListener("bob", bobAdmitsWeb(KeyAgreement.NOISE_XX).withTrustPolicy(peer -> true));
        Address channel = alice.createSecureChannel(Route.of("bob"), presenting(KeyAgreement.NOISE_XX, CredentialSource.of(shortLived)));
        assertThat(sendAndReceive(channel, "before").peerAttributes()).containsEntry("role", "web");

        // Bob's end drops the attributes when the credential expires and gives out a new origin without them.
        Await.await("bob's end knows alice without attributes", Duration.ofSeconds(10), () -> SecureChannelRegistry.of(node).all().stream()
                .flatMap(end -> end.peer().stream()).anyMatch(p -> p.identifier().equals(alice.identifier()) && p.attributes().isEmpty()));
        assertThat(Instant.now()).as("not before the credential expired").isAfterOrEqualTo(shortLived.expiresAt());

        Routed<String> after = sendAndReceive(channel, "after");
        assertThat(after.peerAttributes()).isEmpty();
        assertThat(after.peerIdentifier()).contains(alice.identifier());
    }

    @Test
    void aRefreshThatFailsToVerifyKeepsTheAttributesUntilTheyExpire() throws Exception {
        // 20 seconds of life: alice checks her source every 2 seconds (with an hour, only every 10).
        Credential good = role(authority, alice, "web", Duration.ofSeconds(20));
        AtomicReference<List<Credential>> presented = new AtomicReference<>(List.of(good));
        bob.createSecureChannelListener("bob", bobAdmitsWeb(KeyAgreement.NOISE_XX));
        AtomicInteger consulted = new AtomicInteger();
        CredentialSource source = () -> {
            consulted.incrementAndGet();
            return presented.get();
        };
        Address channel = alice.createSecureChannel(Route.of("bob"), presenting(KeyAgreement.NOISE_XX, source));

        presented.set(List.of(role(authority, bob, "admin", Duration.ofSeconds(20)))); // about someone else
        awaitRefreshSent(consulted);

        assertThat(sendAndReceive(channel, "kept").peerAttributes()).containsEntry("role", "web");
    }

    @Test
    void aRefreshWithOtherAttributesReplacesThem() throws Exception {
        // 20 seconds of life: alice checks her source every 2 seconds.
        AtomicReference<List<Credential>> presented = new AtomicReference<>(List.of(role(authority, alice, "web", Duration.ofSeconds(20))));
        bob.createSecureChannelListener("bob", bobAdmitsWeb(KeyAgreement.NOISE_XX).withTrustPolicy(peer -> true));
        AtomicInteger consulted = new AtomicInteger();
        CredentialSource source = () -> {
            consulted.incrementAndGet();
            return presented.get();
        };
        Address channel = alice.createSecureChannel(Route.of("bob"), presenting(KeyAgreement.NOISE_XX, source));

        presented.set(List.of(alice.issueCredential(alice.identifier(), Map.of("x", "y"), Duration.ofSeconds(20)),
                authority.issueCredential(alice.identifier(), Map.of("role", "api"), Duration.ofSeconds(20))));
        awaitRefreshSent(consulted);
        Map<String, String> seen = sendAndReceive(channel, "now").peerAttributes();

        assertThat(seen).as("the new attributes; the self-issued credential is ignored").isEqualTo(Map.of("role", "api"));
    }

    @Test
    void aSubjectThatRotatedNeedsANewCredential() throws Exception {
        Credential beforeRotation = role(authority, alice, "web", Duration.ofHours(1));
        alice.rotateKey();
        assertRefused(KeyAgreement.NOISE_XX, CredentialSource.of(beforeRotation));

        bob.createSecureChannelListener("bob2", bobAdmitsWeb(KeyAgreement.NOISE_XX));
        authority.importContact(alice.changeHistory().encoded());
        Credential afterRotation = role(authority, alice, "web", Duration.ofHours(1));
        assertThat(alice.createSecureChannel(Route.of("bob2"), presenting(KeyAgreement.NOISE_XX, CredentialSource.of(afterRotation))))
                .isNotNull();
    }
}
