package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.identity.SecureChannelOptions;
import org.hopseal.api.identity.TrustIdentifierPolicy;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.Verifier;
import org.hopseal.api.worker.Context;
import org.hopseal.core.node.Node;
import org.hopseal.testing.Echo;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation revokes: histories are accepted only if they equal or extend the one known, at bounded cost. */
class KnownIdentitiesTest {
    private TestNode node;
    private Context ctx;
    private final List<Vaults> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start();
        ctx = node.context();
    }

    @AfterEach
    void stop() {
        node.close();
        opened.forEach(Vaults::close);
    }

    private Vaults vaults() {
        Vaults v = SoftwareVault.vaults();
        opened.add(v);
        return v;
    }

    @Test
    void aKeyRotatedAwayNoLongerSpeaksForItsIdentityOnceTheRotationIsKnown() throws Exception {
        Vaults aliceVaults = vaults();
        CoreEntity alice = CoreEntity.create(ctx, aliceVaults);
        // The thief's copy: the same vault, loaded before Alice rotates; it keeps the old key and the old history.
        CoreEntity stolen = CoreEntity.load(ctx, aliceVaults, alice.identifier());
        CoreEntity bob = CoreEntity.create(ctx, vaults());
        bob.createSecureChannelListener("bob", new TrustIdentifierPolicy(alice.identifier()));
        assertThat(Echo.through(ctx, stolen.createSecureChannel("bob"), "before")).as("before the rotation the copy is Alice").isEqualTo("before");

        alice.rotateKey();
        alice.rotateKey();
        bob.importContact(alice.changeHistory().encoded());

        assertHopsealError(ErrorKind.UNTRUSTED, () -> stolen.createSecureChannel("bob"));
        assertThat(Echo.through(ctx, alice.createSecureChannel("bob"), "current")).isEqualTo("current");
    }

    @Test
    void aRotationSeenInAHandshakeRevokesTheOldKeyForLaterHandshakes() throws Exception {
        Vaults aliceVaults = vaults();
        CoreEntity alice = CoreEntity.create(ctx, aliceVaults);
        CoreEntity stolen = CoreEntity.load(ctx, aliceVaults, alice.identifier());
        CoreEntity bob = CoreEntity.create(ctx, vaults());
        bob.createSecureChannelListener("bob");
        alice.rotateKey();
        assertThat(Echo.through(ctx, alice.createSecureChannel("bob"), "rotated")).isEqualTo("rotated");
        assertThatThrownBy(() -> stolen.createSecureChannel("bob")).isInstanceOf(HopsealException.class);
    }

    @Test
    void theKnownHistoryPersistsInTheVaultSoARestartedNodeStillRefusesTheOldKey() throws Exception {
        Vaults bobVaults = vaults();
        Vaults aliceVaults = vaults();
        CoreEntity alice = CoreEntity.create(ctx, aliceVaults);
        byte[] old = alice.changeHistory().encoded();
        alice.rotateKey();
        CoreEntity.create(ctx, bobVaults).importContact(alice.changeHistory().encoded());
        assertThat(bobVaults.identity().record(KnownIdentities.RECORD_PREFIX + alice.identifier())).isPresent();
        try (Node restarted = Node.start()) {
            KnownIdentities fresh = KnownIdentities.of(restarted);
            assertThatThrownBy(() -> fresh.accept(old, bobVaults.verifier(), bobVaults.identity(), 32))
                    .isInstanceOf(IdentityException.class).hasMessageContaining("superseded");
        }
    }

    @Test
    void noPrefixOrForkOfAKnownHistoryIsEverAccepted() throws Exception {
        Random random = new Random(0x5EED_1D);
        Vaults v = vaults();
        for (int round = 0; round < 12; round++) {
            int length = 2 + random.nextInt(5);
            List<List<IdentityChange>> histories = histories(v, length);
            List<IdentityChange> full = histories.get(length - 1);
            KnownIdentities known = new KnownIdentities();
            int learned = 1 + random.nextInt(length);
            known.accept(IdentityHistory.encode(histories.get(learned - 1)), v.verifier(), v.identity(), 32);
            for (int n = 1; n < learned; n++) {
                byte[] prefix = IdentityHistory.encode(histories.get(n - 1));
                assertThatThrownBy(() -> known.accept(prefix, v.verifier(), v.identity(), 32))
                        .as("round %d: a prefix of %d of %d known changes", round, n, learned)
                        .isInstanceOf(IdentityException.class).hasMessageContaining("superseded");
            }
            // A fork: the same root, then a rotation to another key at some change after the root.
            int forkAt = 1 + random.nextInt(length - 1);
            List<IdentityChange> fork = rotate(v, full.subList(0, forkAt));
            if (forkAt < learned) {
                assertThatThrownBy(() -> known.accept(IdentityHistory.encode(fork), v.verifier(), v.identity(), 32))
                        .as("round %d: a fork at change %d of %d known", round, forkAt, learned)
                        .isInstanceOf(IdentityException.class).hasMessageContaining("forks");
            }
            ChangeHistory longest = known.accept(IdentityHistory.encode(full), v.verifier(), v.identity(), 32);
            assertThat(longest.keys()).hasSize(length);
        }
    }

    @Test
    void aKnownHistoryCostsNoSignatureCheckAndAnExtensionTwoPerNewChange() throws Exception {
        Vaults v = vaults();
        List<List<IdentityChange>> histories = histories(v, 4);
        CountingVerifier counting = new CountingVerifier(v.verifier());
        KnownIdentities known = new KnownIdentities();
        known.accept(IdentityHistory.encode(histories.get(1)), counting, v.identity(), 32);
        assertThat(counting.verifications.getAndSet(0)).as("two changes: root self-signature, then two").isEqualTo(3);
        known.accept(IdentityHistory.encode(histories.get(1)), counting, v.identity(), 32);
        assertThat(counting.verifications.getAndSet(0)).as("known already").isZero();
        known.accept(IdentityHistory.encode(histories.get(3)), counting, v.identity(), 32);
        assertThat(counting.verifications.getAndSet(0)).as("two new changes").isEqualTo(4);
    }

    @Test
    void aHistoryLongerThanTheLimitIsRefusedBeforeAnySignatureCheck() throws Exception {
        Vaults v = vaults();
        List<List<IdentityChange>> histories = histories(v, 5);
        CountingVerifier counting = new CountingVerifier(v.verifier());
        KnownIdentities known = new KnownIdentities();
        assertThatThrownBy(() -> known.accept(IdentityHistory.encode(histories.get(4)), counting, v.identity(), 4))
                .isInstanceOf(IdentityException.class).hasMessageContaining("exceeds the limit of 4");
        assertThat(counting.verifications).hasValue(0);
        assertThat(known.accept(IdentityHistory.encode(histories.get(3)), counting, v.identity(), 4).keys()).hasSize(4);
    }

    @Test
    void aPeerWhoseHistoryExceedsTheListenersLimitIsRefused() throws Exception {
        CoreEntity alice = CoreEntity.create(ctx, vaults());
        for (int i = 0; i < 3; i++) {
            alice.rotateKey();
        }
        CoreEntity bob = CoreEntity.create(ctx, vaults());
        bob.createSecureChannelListener("strict", SecureChannelOptions.defaults().withMaxIdentityChanges(3));
        bob.createSecureChannelListener("lenient", SecureChannelOptions.defaults().withMaxIdentityChanges(4));
        assertThatThrownBy(() -> alice.createSecureChannel("strict")).isInstanceOf(HopsealException.class);
        assertThat(Echo.through(ctx, alice.createSecureChannel("lenient"), "four")).isEqualTo("four");
    }

    @Test
    void attestationsValidForLongerThanThirtyDaysAreRefused() throws Exception {
        Vaults v = vaults();
        SigningKeyHandle key = v.identity().generateSigningKey(KeyType.ED25519);
        CoreEntity alice = CoreEntity.create(ctx, v);
        PublicKey channelKey = v.channel().publicKey(v.channel().generateAgreementKey(KeyType.X25519,
                Persistence.EPHEMERAL));
        Instant now = Instant.now();
        PublicKey identityKey = v.identity().publicKey(key);
        Attestation fine = Attestation.create(v.identity(), key, alice.identifier(), channelKey, now.plus(Attestation.MAX_VALIDITY));
        fine.verify(v.verifier(), identityKey, now);
        Attestation tooLong = Attestation.create(v.identity(), key, alice.identifier(), channelKey,
                now.plus(Attestation.MAX_VALIDITY).plus(Attestation.CLOCK_SKEW).plusSeconds(60));
        assertThatThrownBy(() -> tooLong.verify(v.verifier(), identityKey, now))
                .isInstanceOf(IdentityException.class).hasMessageContaining("longer than the 30 days");
    }

    @Test
    void x25519IsNotAnIdentityKeyType() {
        assertHopsealError(ErrorKind.UNSUPPORTED, () -> CoreEntity.create(ctx, vaults(), KeyType.X25519, InstantSource.system()))
                .isInstanceOf(IdentityException.class);
    }

    /** The histories of one identity after 1, 2, ..., {@code length} changes. */
    private static List<List<IdentityChange>> histories(Vaults v, int length) throws HopsealException {
        List<SigningKeyHandle> keys = keysOf(v, length);
        List<List<IdentityChange>> out = new ArrayList<>();
        List<IdentityChange> h = IdentityHistory.create(v.identity(), keys.get(0));
        out.add(h);
        for (int i = 1; i < length; i++) {
            h = IdentityHistory.rotate(h, v.verifier(), v.identity(), keys.get(i - 1), keys.get(i));
            out.add(h);
        }
        return out;
    }

    private static List<SigningKeyHandle> keysOf(Vaults v, int n) throws HopsealException {
        List<SigningKeyHandle> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(v.identity().generateSigningKey(KeyType.ED25519));
        }
        return keys;
    }

    /** {@code prefix} rotated once more, from its last key to a fresh one. */
    private static List<IdentityChange> rotate(Vaults v, List<IdentityChange> prefix) throws HopsealException {
        PublicKey last = prefix.get(prefix.size() - 1).key();
        SigningKeyHandle previous = v.identity().find(last).orElseThrow();
        return IdentityHistory.rotate(prefix, v.verifier(), v.identity(), previous, v.identity().generateSigningKey(KeyType.ED25519));
    }

    /** Counts signature verifications. */
    private static final class CountingVerifier implements Verifier {
        private final Verifier inner;
        final AtomicInteger verifications = new AtomicInteger();

        CountingVerifier(Verifier inner) {
            this.inner = inner;
        }

        @Override
        public void verify(PublicKey key, byte[] data, byte[] signature) throws AuthenticationFailedException, VaultException {
            verifications.incrementAndGet();
            inner.verify(key, data, signature);
        }

        @Override
        public byte[] hash(HashAlgorithm algorithm, byte[]... parts) throws VaultException {
            return inner.hash(algorithm, parts);
        }
    }
}
