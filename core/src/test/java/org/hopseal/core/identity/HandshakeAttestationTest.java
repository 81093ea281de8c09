package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.VaultException;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.vault.Verifier;
import org.hopseal.api.worker.Context;
import org.hopseal.testing.Echo;
import org.hopseal.testing.TestNode;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channel key attestation as a handshake checks it: signature, expiry and maximum validity (with clock skew), both
 * the first time and once cached. The verifying side (Bob) opens the channel, so that it checks the listener's
 * (Alice's) identity first and its refusal surfaces from {@code createSecureChannel}.
 */
class HandshakeAttestationTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

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

    private CoreEntity entity(Vaults v, InstantSource clock) throws HopsealException {
        return CoreEntity.create(ctx, v, KeyType.ED25519, clock);
    }

    /** The messages of {@code e} and its causes, so that a refusal can be told by its reason. */
    private static String messages(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(t.getMessage()).append(" | ");
        }
        return out.toString();
    }

    @Test
    void anAttestationThatExpiredIsRefused() throws Exception {
        // Alice's clock is 31 days behind: the attestation she made "30 days from now" has expired by Bob's clock.
        CoreEntity alice = entity(vaults(), InstantSource.fixed(T.minus(Duration.ofDays(31))));
        CoreEntity bob = entity(vaults(), InstantSource.fixed(T));
        alice.createSecureChannelListener("alice");

        assertThatThrownBy(() -> bob.createSecureChannel("alice"))
                .isInstanceOf(HopsealException.class)
                .satisfies(e -> assertThat(messages(e)).contains("the channel key attestation expired"));
    }

    @Test
    void anAttestationFromAClockTenMinutesAheadClaimsTooLongAValidityAndIsRefused() throws Exception {
        CoreEntity alice = entity(vaults(), InstantSource.fixed(T.plus(Duration.ofMinutes(10))));
        CoreEntity bob = entity(vaults(), InstantSource.fixed(T));
        alice.createSecureChannelListener("alice");

        assertThatThrownBy(() -> bob.createSecureChannel("alice"))
                .isInstanceOf(HopsealException.class)
                .satisfies(e -> assertThat(messages(e)).contains("longer than the 30 days allowed"));
    }

    @Test
    void anAttestationFromAClockTwoMinutesAheadIsWithinTheSkewAndAccepted() throws Exception {
        CoreEntity alice = entity(vaults(), InstantSource.fixed(T.plus(Duration.ofMinutes(2))));
        CoreEntity bob = entity(vaults(), InstantSource.fixed(T));
        alice.createSecureChannelListener("alice");

        assertThat(Echo.through(ctx, bob.createSecureChannel("alice"), "skewed")).isEqualTo("skewed");
    }

    @Test
    void anAttestationCheckedInAnEarlierHandshakeIsRefusedOnceItExpires() throws Exception {
        AtomicReference<Instant> bobsNow = new AtomicReference<>(T);
        CoreEntity alice = entity(vaults(), InstantSource.fixed(T));
        CoreEntity bob = entity(vaults(), bobsNow::get);
        alice.createSecureChannelListener("alice");
        assertThat(Echo.through(ctx, bob.createSecureChannel("alice"), "fresh")).isEqualTo("fresh");

        // Alice's clock stands still, so she presents the very attestation Bob verified (and cached) before.
        bobsNow.set(T.plus(CoreEntity.ATTESTATION_VALIDITY).plusSeconds(1));

        assertThatThrownBy(() -> bob.createSecureChannel("alice"))
                .isInstanceOf(HopsealException.class)
                .satisfies(e -> assertThat(messages(e)).contains("the channel key attestation expired"));
    }

    @Test
    void anEntityRenewsItsAttestationOnceItIsAboutToExpireSoItsChannelsStillOpen() throws Exception {
        // One clock for both: a month passes between two handshakes.
        AtomicReference<Instant> now = new AtomicReference<>(T);
        CoreEntity alice = entity(vaults(), now::get);
        CoreEntity bob = entity(vaults(), now::get);
        alice.createSecureChannelListener("alice");
        assertThat(Echo.through(ctx, bob.createSecureChannel("alice"), "day one")).isEqualTo("day one");

        now.set(T.plus(CoreEntity.ATTESTATION_VALIDITY).plusSeconds(1));

        assertThat(Echo.through(ctx, bob.createSecureChannel("alice"), "a month later")).isEqualTo("a month later");
    }

    @Test
    void anAttestationIsRenewedADayBeforeItExpiresNotEarlier() throws Exception {
        AtomicReference<Instant> alicesNow = new AtomicReference<>(T);
        AtomicReference<Instant> bobsNow = new AtomicReference<>(T);
        CoreEntity alice = entity(vaults(), alicesNow::get);
        CoreEntity bob = entity(vaults(), bobsNow::get);
        alice.createSecureChannelListener("alice");

        // Two days before expiry Alice keeps her attestation: Bob, whose clock is past it, refuses it.
        alicesNow.set(T.plus(CoreEntity.ATTESTATION_VALIDITY).minus(Duration.ofDays(2)));
        bobsNow.set(T.plus(CoreEntity.ATTESTATION_VALIDITY).plusSeconds(1));
        assertThatThrownBy(() -> bob.createSecureChannel("alice")).isInstanceOf(HopsealException.class)
                .satisfies(e -> assertThat(messages(e)).contains("expired"));

        // Within a day of expiry she renews, and a peer whose clock agrees with hers accepts the new attestation.
        alicesNow.set(T.plus(CoreEntity.ATTESTATION_VALIDITY).minus(Duration.ofHours(23)));
        CoreEntity carol = entity(vaults(), alicesNow::get);
        assertThat(Echo.through(ctx, carol.createSecureChannel("alice"), "renewed")).isEqualTo("renewed");
    }

    @Test
    void anAttestationWithABadSignatureIsRefusedTheFirstTimeItIsSeen() throws Exception {
        Vaults honest = vaults();
        Vaults forging = honest.withIdentity(new AttestationForger(honest.identity()));
        CoreEntity alice = entity(forging, InstantSource.system());
        CoreEntity bob = entity(vaults(), InstantSource.system());
        alice.createSecureChannelListener("alice");

        assertThatThrownBy(() -> bob.createSecureChannel("alice"))
                .isInstanceOf(HopsealException.class)
                .satisfies(e -> assertThat(messages(e)).contains("the channel key attestation has a bad signature"));
    }

    @Test
    void aPeerSeenBeforeCostsOneSignatureCheckItsProofOfPossession() throws Exception {
        Vaults bobs = vaults();
        CountingVerifier counting = new CountingVerifier(bobs.verifier());
        CoreEntity alice = entity(vaults(), InstantSource.system());
        CoreEntity bob = entity(new Vaults(bobs.identity(), bobs.channel(), counting), InstantSource.system());
        alice.createSecureChannelListener("alice");

        counting.verifications.set(0);
        assertThat(Echo.through(ctx, bob.createSecureChannel("alice"), "first")).isEqualTo("first");
        int first = counting.verifications.getAndSet(0);
        assertThat(Echo.through(ctx, bob.createSecureChannel("alice"), "second")).isEqualTo("second");
        int second = counting.verifications.get();

        assertThat(first).as("proof, attestation and the root change's self signature").isEqualTo(3);
        assertThat(second).as("the proof only: attestation and history are known").isEqualTo(1);
    }

    /** Signs honestly, except attestations, whose signatures it corrupts. */
    private static final class AttestationForger implements SigningVault {
        private static final byte[] ATTESTATION = "hopseal/attestation/1".getBytes(StandardCharsets.US_ASCII);
        private final SigningVault delegate;

        AttestationForger(SigningVault delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] sign(SigningKeyHandle key, byte[] data) throws VaultException {
            byte[] signature = delegate.sign(key, data);
            if (data.length >= ATTESTATION.length && Arrays.equals(data, 0, ATTESTATION.length, ATTESTATION, 0, ATTESTATION.length)) {
                signature[3] ^= 0x10;
            }
            return signature;
        }

        @Override
        public Set<KeyType> signingKeyTypes() {
            return delegate.signingKeyTypes();
        }

        @Override
        public SigningKeyHandle generateSigningKey(KeyType type) throws VaultException {
            return delegate.generateSigningKey(type);
        }

        @Override
        public PublicKey publicKey(SigningKeyHandle key) throws VaultException {
            return delegate.publicKey(key);
        }

        @Override
        public Optional<SigningKeyHandle> find(PublicKey publicKey) throws VaultException {
            return delegate.find(publicKey);
        }

        @Override
        public List<SigningKeyHandle> signingKeys() throws VaultException {
            return delegate.signingKeys();
        }

        @Override
        public void delete(SigningKeyHandle key) throws VaultException {
            delegate.delete(key);
        }

        @Override
        public void putRecord(String name, byte[] value) throws VaultException {
            delegate.putRecord(name, value);
        }

        @Override
        public Optional<byte[]> record(String name) throws VaultException {
            return delegate.record(name);
        }

        @Override
        public List<String> recordNames() throws VaultException {
            return delegate.recordNames();
        }
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
