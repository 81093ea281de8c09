package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.Verifier;
import org.hopseal.api.worker.Context;
import org.hopseal.core.channel.PeerAttributes;
import org.hopseal.core.node.Node;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link CredentialVerifier} on its own, with real entities as authorities and subjects and the verifier's clock fixed:
 * what it ignores, each check on a trusted authority's credential at its boundary, the merge of several credentials,
 * and an authority's rotation; and how {@link CoreEntity#issueCredential} fills in the time to live and the subject's
 * head.
 */
class CredentialVerifierTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Map<String, String> WEB = Map.of("role", "web", "env", "prod");

    /** An entity and its vaults, so that tests can sign bodies no {@code issueCredential} would make. */
    private record Party(CoreEntity entity, Vaults vaults) {
        Identifier id() {
            return entity.identifier();
        }
    }

    private Node node;
    private Context ctx;
    private final List<Vaults> opened = new ArrayList<>();
    private Vaults verifierVaults;
    private final AtomicInteger signatureChecks = new AtomicInteger();
    private CredentialVerifier verifier;
    private Party authority;
    private Party alice;
    private Party bob;

    @BeforeEach
    void start() throws Exception {
        node = Node.start();
        ctx = node.context();
        verifierVaults = vaults();
        verifier = new CredentialVerifier(countingVerifier(), verifierVaults.identity(), KnownIdentities.of(node), 32);
        authority = party(KeyType.ED25519, NOW);
        alice = party(KeyType.ED25519, NOW);
        bob = party(KeyType.ED25519, NOW);
    }

    @AfterEach
    void stop() {
        node.stop();
        opened.forEach(Vaults::close);
    }

    private Vaults vaults() {
        Vaults v = SoftwareVault.vaults();
        opened.add(v);
        return v;
    }

    /** The verifier's vault's verifier, counting the signatures it checks. */
    private Verifier countingVerifier() {
        Verifier real = verifierVaults.verifier();
        return new Verifier() {
            @Override
            public void verify(PublicKey key, byte[] data, byte[] signature) throws AuthenticationFailedException, VaultException {
                signatureChecks.incrementAndGet();
                real.verify(key, data, signature);
            }

            @Override
            public byte[] hash(HashAlgorithm algorithm, byte[]... parts) throws VaultException {
                return real.hash(algorithm, parts);
            }
        };
    }

    private Party party(KeyType type, Instant clock) throws HopsealException {
        Vaults v = vaults();
        return new Party(CoreEntity.create(ctx, v, type, InstantSource.fixed(clock)), v);
    }

    private byte[] head(Party p) throws HopsealException {
        return IdentityHistory.head(verifierVaults.verifier(), p.entity().changeHistory());
    }

    /** A credential signed by {@code by}'s current key with its current history, for {@code subject}'s current head. */
    private Credential signed(Party by, Party subject, Map<String, String> attributes, Instant issued, Instant expires)
            throws HopsealException {
        byte[] body = Credential.body(by.id(), by.entity().changeHistory().encoded(), subject.id(), head(subject), attributes,
                issued, expires);
        return Credential.of(body, by.vaults().identity().sign(by.entity().identityKey(), Credential.signedBytes(body)));
    }

    private Credential webFor(Party subject, Duration ttl) throws HopsealException {
        return signed(authority, subject, WEB, NOW, NOW.plus(ttl));
    }

    private PeerAttributes verify(Party subject, Set<Identifier> authorities, Credential... presented) throws HopsealException {
        List<byte[]> encoded = new ArrayList<>();
        for (Credential c : presented) {
            encoded.add(c.encoded());
        }
        return verifier.verify(encoded, subject.id(), head(subject), authorities, NOW);
    }

    private PeerAttributes verify(Party subject, Credential... presented) throws HopsealException {
        return verify(subject, Set.of(authority.id()), presented);
    }

    // What is ignored

    @Test
    void nothingPresentedIsNoAttributes() throws Exception {
        assertThat(verify(alice)).isSameAs(PeerAttributes.NONE);
    }

    @Test
    void aCredentialOfAnUntrustedAuthorityIsIgnoredWithoutCheckingItsSignatureOrHistory() throws Exception {
        Party other = party(KeyType.ED25519, NOW);
        Credential good = signed(other, alice, WEB, NOW, NOW.plusSeconds(3600));
        Credential garbage = Credential.of(good.body(), new byte[64]);

        assertThat(verify(alice, garbage)).isSameAs(PeerAttributes.NONE);
        assertThat(verify(alice, good)).isSameAs(PeerAttributes.NONE);
        assertThat(verify(alice, Set.of(), webFor(alice, Duration.ofHours(1)))).isSameAs(PeerAttributes.NONE);
        assertThat(signatureChecks).hasValue(0);
        assertThat(KnownIdentities.of(node).history(other.id(), verifierVaults.verifier(), verifierVaults.identity())).isEmpty();
    }

    @Test
    void anUntrustedCredentialBesideATrustedOneAddsNothing() throws Exception {
        Party other = party(KeyType.ED25519, NOW);
        Credential otherSaysDb = signed(other, alice, Map.of("role", "db", "zone", "x"), NOW, NOW.plusSeconds(60));

        PeerAttributes attributes = verify(alice, otherSaysDb, webFor(alice, Duration.ofHours(1)));

        assertThat(attributes.values()).isEqualTo(WEB);
        assertThat(attributes.expires()).isEqualTo(NOW.plusSeconds(3600));
    }

    // One trusted credential

    @Test
    void aGoodCredentialGivesItsAttributesUntilItsExpiry() throws Exception {
        PeerAttributes attributes = verify(alice, webFor(alice, Duration.ofHours(2)));

        assertThat(attributes.values()).isEqualTo(WEB);
        assertThat(attributes.expires()).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(signatureChecks).as("the authority's self-signed change and the credential").hasValue(2);
    }

    @Test
    void aCredentialWithoutAttributesGivesNoneButStillAnExpiry() throws Exception {
        PeerAttributes attributes = verify(alice, signed(authority, alice, Map.of(), NOW, NOW.plusSeconds(10)));

        assertThat(attributes.values()).isEmpty();
        assertThat(attributes.expires()).isEqualTo(NOW.plusSeconds(10));
    }

    @Test
    void aBadSignatureIsAnAuthenticationFailure() throws Exception {
        Credential good = webFor(alice, Duration.ofHours(1));
        byte[] signature = good.signature();
        signature[10] ^= 1;
        Credential tampered = Credential.of(good.body(), signature);

        assertHopsealError(ErrorKind.AUTHENTICATION, () -> verify(alice, tampered)).isInstanceOf(CredentialException.class)
                .hasMessage("the credential's signature does not verify");
    }

    @Test
    void aSignatureByAnotherKeyIsAnAuthenticationFailure() throws Exception {
        Credential good = webFor(alice, Duration.ofHours(1));
        Credential bySomeoneElse = Credential.of(good.body(),
                bob.vaults().identity().sign(bob.entity().identityKey(), Credential.signedBytes(good.body())));

        assertHopsealError(ErrorKind.AUTHENTICATION, () -> verify(alice, bySomeoneElse))
                .hasMessage("the credential's signature does not verify");
    }

    @Test
    void aSignatureOverTheBodyWithoutTheContextIsAnAuthenticationFailure() throws Exception {
        Credential good = webFor(alice, Duration.ofHours(1));
        Credential noContext = Credential.of(good.body(),
                authority.vaults().identity().sign(authority.entity().identityKey(), good.body()));

        assertHopsealError(ErrorKind.AUTHENTICATION, () -> verify(alice, noContext))
                .hasMessage("the credential's signature does not verify");
    }

    @Test
    void aCredentialAboutAnotherSubjectIsRefused() throws Exception {
        Credential forBob = webFor(bob, Duration.ofHours(1));
        byte[] alicesHead = head(alice);

        assertHopsealError(ErrorKind.INVALID, () -> verifier.verify(List.of(forBob.encoded()), alice.id(), alicesHead,
                Set.of(authority.id()), NOW)).isInstanceOf(CredentialException.class)
                .hasMessage("the credential is about " + bob.id() + ", not " + alice.id());
    }

    @Test
    void aCredentialForAnotherHeadOfTheSubjectIsRefused() throws Exception {
        Credential good = webFor(alice, Duration.ofHours(1));
        byte[] otherHead = head(alice);
        otherHead[31] ^= 1;

        assertHopsealError(ErrorKind.INVALID, () -> verifier.verify(List.of(good.encoded()), alice.id(), otherHead,
                Set.of(authority.id()), NOW)).isInstanceOf(CredentialException.class)
                .hasMessageStartingWith("the credential was issued for another key of " + alice.id());
    }

    @Test
    void anIssueTimeUpToOneMinuteAheadIsAcceptedAndLaterRefused() throws Exception {
        assertThat(verify(alice, signed(authority, alice, WEB, NOW.plusSeconds(30), NOW.plusSeconds(3600))).values()).isEqualTo(WEB);
        assertThat(verify(alice, signed(authority, alice, WEB, NOW.plusSeconds(60), NOW.plusSeconds(3600))).values()).isEqualTo(WEB);

        Credential ahead = signed(authority, alice, WEB, NOW.plusSeconds(61), NOW.plusSeconds(3600));
        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, ahead)).isInstanceOf(CredentialException.class)
                .hasMessage("the credential is issued at 2026-03-01T12:01:01Z, in the future");
    }

    @Test
    void aCredentialExpiringExactlyNowIsRefusedAndOneSecondLaterAccepted() throws Exception {
        Credential expiresNow = signed(authority, alice, WEB, NOW.minusSeconds(3600), NOW);
        Credential expiresSoon = signed(authority, alice, WEB, NOW.minusSeconds(3600), NOW.plusSeconds(1));

        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, expiresNow)).isInstanceOf(CredentialException.class)
                .hasMessage("the credential expired at 2026-03-01T12:00:00Z");
        assertThat(verify(alice, expiresSoon).expires()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void aValidityOf366DaysIsAcceptedAnd367Refused() throws Exception {
        Credential longest = signed(authority, alice, WEB, NOW, NOW.plus(Duration.ofDays(366)));
        Credential oneSecondLonger = signed(authority, alice, WEB, NOW, NOW.plus(Duration.ofDays(366)).plusSeconds(1));
        Credential yearAndTwoDays = signed(authority, alice, WEB, NOW, NOW.plus(Duration.ofDays(367)));

        assertThat(verify(alice, longest).expires()).isEqualTo(NOW.plus(Duration.ofDays(366)));
        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, oneSecondLonger)).isInstanceOf(CredentialException.class)
                .hasMessage("the credential claims a validity longer than 366 days");
        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, yearAndTwoDays))
                .hasMessage("the credential claims a validity longer than 366 days");
    }

    @Test
    void theValidityIsMeasuredFromTheIssueTimeNotFromNow() throws Exception {
        // Issued 300 days ago for 367 days: only 67 days left, but the authority claimed too long a validity.
        Credential issuedLongAgo = signed(authority, alice, WEB, NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(67)));

        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, issuedLongAgo))
                .hasMessage("the credential claims a validity longer than 366 days");
    }

    @Test
    void aMalformedCredentialIsRefusedWhoeverIssuedIt() {
        assertHopsealError(ErrorKind.INVALID, () -> verifier.verify(List.of(new byte[] {1, 2, 3}), alice.id(), head(alice),
                Set.of(), NOW)).isInstanceOf(CredentialException.class).hasMessageStartingWith("malformed credential: ");
    }

    // The authority's history

    @Test
    void aMalformedAuthorityHistoryIsRefused() throws Exception {
        byte[] body = Credential.body(authority.id(), new byte[] {9, 9}, alice.id(), head(alice), WEB, NOW, NOW.plusSeconds(60));
        Credential c = Credential.of(body, authority.vaults().identity().sign(authority.entity().identityKey(), Credential.signedBytes(body)));

        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, c)).isInstanceOf(CredentialException.class)
                .hasMessageStartingWith("the history of the credential's authority is refused: malformed identity history: ")
                .hasCauseInstanceOf(HopsealException.class);
    }

    @Test
    void anAuthorityHistoryLongerThanTheLimitIsRefused() throws Exception {
        authority.entity().rotateKey();
        Credential rotated = webFor(alice, Duration.ofHours(1));
        CredentialVerifier oneChangeOnly = new CredentialVerifier(verifierVaults.verifier(), verifierVaults.identity(),
                KnownIdentities.of(node), 1);

        assertHopsealError(ErrorKind.INVALID, () -> oneChangeOnly.verify(List.of(rotated.encoded()), alice.id(), head(alice),
                Set.of(authority.id()), NOW)).hasMessage("the history of the credential's authority is refused: an identity history"
                + " of 2 changes exceeds the limit of 1");
        assertThat(verify(alice, rotated).values()).isEqualTo(WEB);
    }

    @Test
    void aCredentialCarryingAnotherIdentitysHistoryIsRefused() throws Exception {
        // Mallory signs a body that names the trusted authority but carries Mallory's own history.
        Party mallory = party(KeyType.ED25519, NOW);
        byte[] body = Credential.body(authority.id(), mallory.entity().changeHistory().encoded(), alice.id(), head(alice), WEB,
                NOW, NOW.plusSeconds(3600));
        Credential forged = Credential.of(body, mallory.vaults().identity().sign(mallory.entity().identityKey(),
                Credential.signedBytes(body)));

        assertThat(forged.authority()).isEqualTo(authority.id());
        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, forged)).isInstanceOf(CredentialException.class)
                .hasMessage("the credential carries the history of another identity than its authority");
    }

    @Test
    void anotherIdentitysHistoryIsRefusedBeforeItsSignaturesAreCheckedOrItBecomesKnown() throws Exception {
        // A peer cannot make the verifier check (and remember) histories of identities it does not trust as authorities.
        Party mallory = party(KeyType.ED25519, NOW);
        mallory.entity().rotateKey();
        mallory.entity().rotateKey();
        byte[] body = Credential.body(authority.id(), mallory.entity().changeHistory().encoded(), alice.id(), head(alice), WEB,
                NOW, NOW.plusSeconds(3600));
        Credential forged = Credential.of(body, mallory.vaults().identity().sign(mallory.entity().identityKey(),
                Credential.signedBytes(body)));

        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, forged))
                .hasMessage("the credential carries the history of another identity than its authority");
        assertThat(signatureChecks).hasValue(0);
        assertThat(KnownIdentities.of(node).history(mallory.id(), verifierVaults.verifier(), verifierVaults.identity())).isEmpty();
        assertThat(verifierVaults.identity().recordNames()).noneMatch(n -> n.startsWith(KnownIdentities.RECORD_PREFIX));
    }

    @Test
    void aCredentialSignedWithARotatedAwayKeyIsRefusedOnceTheRotationIsKnown() throws Exception {
        Credential beforeRotation = webFor(alice, Duration.ofHours(1));
        assertThat(verify(alice, beforeRotation).values()).as("before the node knows of the rotation").isEqualTo(WEB);

        authority.entity().rotateKey();
        KnownIdentities.of(node).accept(authority.entity().changeHistory().encoded(), verifierVaults.verifier(),
                verifierVaults.identity(), 32);
        Credential afterRotation = webFor(alice, Duration.ofHours(1));

        assertHopsealError(ErrorKind.UNTRUSTED, () -> verify(alice, beforeRotation)).isInstanceOf(CredentialException.class)
                .hasMessageStartingWith("the history of the credential's authority is refused: the history of " + authority.id()
                        + " ends at change 0");
        assertThat(verify(alice, afterRotation).values()).isEqualTo(WEB);
        assertThat(afterRotation.authorityHistory()).isNotEqualTo(beforeRotation.authorityHistory());
    }

    @Test
    void theRotatedAwayKeyCannotSignWithTheNewHistory() throws Exception {
        SigningKeyHandle firstKey = authority.entity().identityKey();
        authority.entity().rotateKey();
        byte[] body = Credential.body(authority.id(), authority.entity().changeHistory().encoded(), alice.id(), head(alice), WEB,
                NOW, NOW.plusSeconds(3600));
        Credential oldKeyNewHistory = Credential.of(body, authority.vaults().identity().sign(firstKey, Credential.signedBytes(body)));

        assertHopsealError(ErrorKind.AUTHENTICATION, () -> verify(alice, oldKeyNewHistory))
                .hasMessage("the credential's signature does not verify");
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"ED25519", "ECDSA_P256"})
    void authoritiesOfEitherSigningKeyTypeAreVerified(KeyType type) throws Exception {
        authority = party(type, NOW);
        Credential good = webFor(alice, Duration.ofHours(1));
        byte[] signature = good.signature();
        signature[5] ^= 1;

        assertThat(good.signature()).hasSize(64);
        assertThat(verify(alice, good).values()).isEqualTo(WEB);
        assertHopsealError(ErrorKind.AUTHENTICATION, () -> verify(alice, Credential.of(good.body(), signature)))
                .hasMessage("the credential's signature does not verify");
    }

    // Several credentials

    @Test
    void equalValuesAreMergedAndTheEarliestExpiryWins() throws Exception {
        Credential later = signed(authority, alice, Map.of("role", "web", "env", "prod"), NOW, NOW.plusSeconds(7200));
        Credential earlier = signed(authority, alice, Map.of("role", "web", "zone", "eu"), NOW, NOW.plusSeconds(3600));
        Map<String, String> merged = Map.of("role", "web", "env", "prod", "zone", "eu");

        PeerAttributes laterFirst = verify(alice, later, earlier);
        PeerAttributes earlierFirst = verify(alice, earlier, later);

        assertThat(laterFirst.values()).isEqualTo(merged);
        assertThat(laterFirst.expires()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(earlierFirst.values()).isEqualTo(merged);
        assertThat(earlierFirst.expires()).isEqualTo(NOW.plusSeconds(3600));
    }

    @Test
    void credentialsOfTwoTrustedAuthoritiesAreMerged() throws Exception {
        Party second = party(KeyType.ECDSA_P256, NOW);
        Credential fromSecond = signed(second, alice, Map.of("team", "blue"), NOW, NOW.plusSeconds(600));

        PeerAttributes attributes = verify(alice, Set.of(authority.id(), second.id()), webFor(alice, Duration.ofHours(1)), fromSecond);

        assertThat(attributes.values()).isEqualTo(Map.of("role", "web", "env", "prod", "team", "blue"));
        assertThat(attributes.expires()).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void twoCredentialsGivingAnAttributeDifferentValuesAreRefused() throws Exception {
        Credential web = webFor(alice, Duration.ofHours(1));
        Credential db = signed(authority, alice, Map.of("role", "db"), NOW, NOW.plusSeconds(3600));

        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, web, db)).isInstanceOf(CredentialException.class)
                .hasMessage("two credentials give attribute 'role' different values");
        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, db, web))
                .hasMessage("two credentials give attribute 'role' different values");
    }

    @Test
    void eightCredentialsAreVerifiedAndNineRefused() throws Exception {
        Credential[] eight = new Credential[8];
        for (int i = 0; i < 8; i++) {
            eight[i] = signed(authority, alice, Map.of("n" + i, "v"), NOW, NOW.plusSeconds(3600 + i));
        }
        Credential[] nine = Arrays.copyOf(eight, 9);
        nine[8] = webFor(alice, Duration.ofHours(1));

        assertThat(verify(alice, eight).values()).hasSize(8);
        signatureChecks.set(0);
        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, nine)).isInstanceOf(CredentialException.class)
                .hasMessage("9 credentials presented; at most 8 are accepted");
        assertThat(signatureChecks).as("refused before any check").hasValue(0);
    }

    @Test
    void oneBadCredentialAmongGoodOnesRefusesThemAll() throws Exception {
        Credential good = webFor(alice, Duration.ofHours(1));
        Credential expired = signed(authority, alice, Map.of("zone", "eu"), NOW.minusSeconds(7200), NOW.minusSeconds(3600));

        assertHopsealError(ErrorKind.INVALID, () -> verify(alice, good, expired)).hasMessageStartingWith("the credential expired at");
    }

    // CoreEntity.issueCredential

    @Test
    void aTimeToLiveOfZeroNegativeOrOver366DaysIsRefused() throws Exception {
        for (Duration ttl : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(366).plusSeconds(1), Duration.ofDays(367))) {
            assertHopsealError(ErrorKind.INVALID, () -> authority.entity().issueCredential(alice.id(), WEB, ttl))
                    .isInstanceOf(CredentialException.class)
                    .hasMessage("a credential's time to live is more than zero and at most 366 days, not " + ttl);
        }
        assertThat(authority.entity().issueCredential(alice.id(), WEB, Duration.ofDays(366)).expiresAt())
                .isEqualTo(NOW.plus(Duration.ofDays(366)));
        assertThat(authority.entity().issueCredential(alice.id(), WEB, Duration.ofSeconds(1)).expiresAt()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void aTimeToLiveOfLessThanASecondIsRefusedBeforeSigning() {
        assertHopsealError(ErrorKind.INVALID, () -> authority.entity().issueCredential(alice.id(), WEB, Duration.ofMillis(500)))
                .isInstanceOf(CredentialException.class).hasMessage("a credential must expire after it is issued");
    }

    @Test
    void anIssuedCredentialIsSignedByTheAuthoritysCurrentKeyFromItsClockInWholeSeconds() throws Exception {
        Party late = party(KeyType.ED25519, NOW.plusMillis(700));

        Credential c = late.entity().issueCredential(alice.id(), WEB, Duration.ofHours(1));

        assertThat(c.authority()).isEqualTo(late.id());
        assertThat(c.authorityHistory()).isEqualTo(late.entity().changeHistory().encoded());
        assertThat(c.subject()).isEqualTo(alice.id());
        assertThat(c.attributes()).isEqualTo(WEB);
        assertThat(c.issuedAt()).isEqualTo(NOW);
        assertThat(c.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        verifierVaults.verifier().verify(late.entity().changeHistory().currentKey(), Credential.signedBytes(c.body()), c.signature());
        assertThat(verify(alice, Set.of(late.id()), c).values()).isEqualTo(WEB);
    }

    @Test
    void theHeadOfAnUnrotatedSubjectIsItsIdentifiersHash() throws Exception {
        Credential c = authority.entity().issueCredential(bob.id(), WEB, Duration.ofHours(1));

        assertThat(c.subjectHead()).isEqualTo(HexFormat.of().parseHex(bob.id().value().substring(1))).isEqualTo(head(bob));
    }

    @Test
    void theHeadOfARotatedImportedContactIsItsLastChangeId() throws Exception {
        Credential beforeImport = authority.entity().issueCredential(bob.id(), WEB, Duration.ofHours(1));
        bob.entity().rotateKey();
        bob.entity().rotateKey();
        authority.entity().importContact(bob.entity().changeHistory().encoded());

        Credential c = authority.entity().issueCredential(bob.id(), WEB, Duration.ofHours(1));

        byte[] last = IdentityHistory.head(verifierVaults.verifier(), bob.entity().changeHistory());
        assertThat(c.subjectHead()).isEqualTo(last).isNotEqualTo(beforeImport.subjectHead());
        assertThat(verify(bob, c).values()).isEqualTo(WEB);
        assertHopsealError(ErrorKind.INVALID, () -> verify(bob, beforeImport))
                .hasMessageStartingWith("the credential was issued for another key of " + bob.id());
    }

    @Test
    void anAuthorityVouchingForItselfUsesItsOwnCurrentHead() throws Exception {
        authority.entity().rotateKey();

        Credential c = authority.entity().issueCredential(authority.id(), WEB, Duration.ofHours(1));

        assertThat(c.subjectHead()).isEqualTo(head(authority))
                .isNotEqualTo(HexFormat.of().parseHex(authority.id().value().substring(1)));
    }
}
