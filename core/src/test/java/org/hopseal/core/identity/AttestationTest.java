package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hopseal.testing.HopsealAssertions.assertHopsealError;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.Persistence;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.Vaults;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.vault.software.SoftwareVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Channel key attestations: what they bind, how they are decoded, and the validity window a verifier enforces. */
class AttestationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Identifier ALICE = new Identifier("I" + "a1".repeat(32));

    private Vaults v;
    private SigningKeyHandle identityKey;
    private PublicKey identityPublic;
    private PublicKey channelKey;

    @BeforeEach
    void open() throws HopsealException {
        v = SoftwareVault.vaults();
        identityKey = v.identity().generateSigningKey(KeyType.ED25519);
        identityPublic = v.identity().publicKey(identityKey);
        channelKey = channelKey();
    }

    @AfterEach
    void close() {
        v.close();
    }

    private PublicKey channelKey() throws HopsealException {
        return v.channel().publicKey(v.channel().generateAgreementKey(KeyType.X25519, Persistence.EPHEMERAL));
    }

    private Attestation attestation(Instant expires) throws HopsealException {
        return Attestation.create(v.identity(), identityKey, ALICE, channelKey, expires);
    }

    /** A statement in the attestation format, with any field chosen. */
    private static byte[] statement(int version, String identifier, int keyCode, byte[] key, long expires) {
        return new BareWriter().writeU8(version).writeString(identifier).writeU8(keyCode).writeData(key).writeU64(expires)
                .toByteArray();
    }

    private static byte[] attestationBytes(byte[] statement, byte[] signature) {
        return new BareWriter().writeData(statement).writeData(signature).toByteArray();
    }

    @Test
    void anAttestationSurvivesEncodingAndVerifiesWithTheIdentityKey() throws Exception {
        Attestation a = attestation(NOW.plus(Duration.ofDays(30)));

        Attestation decoded = Attestation.decode(a.encode());

        assertThat(decoded.identifier()).isEqualTo(ALICE);
        assertThat(decoded.key()).isEqualTo(channelKey);
        assertThat(decoded.expires()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(decoded.statement()).isEqualTo(a.statement());
        decoded.verify(v.verifier(), identityPublic, NOW);
    }

    @Test
    void anAttestationSignedByAnotherKeyIsRefused() throws Exception {
        Attestation a = attestation(NOW.plus(Duration.ofDays(1)));
        PublicKey otherKey = v.identity().publicKey(v.identity().generateSigningKey(KeyType.ED25519));

        assertHopsealError(ErrorKind.AUTHENTICATION, () -> a.verify(v.verifier(), otherKey, NOW))
                .isInstanceOf(IdentityException.class)
                .hasMessage("the channel key attestation has a bad signature");
    }

    @Test
    void theSignatureCoversTheChannelKeySoItCannotBeMovedToAnotherKey() throws Exception {
        Attestation genuine = attestation(NOW.plus(Duration.ofDays(1)));
        PublicKey mallorysKey = channelKey();
        // The same statement but for Mallory's channel key (same length), with Alice's signature kept.
        byte[] swapped = statement(Attestation.VERSION, ALICE.value(), KeyCodes.code(KeyType.X25519), mallorysKey.bytes(),
                genuine.expires().getEpochSecond());
        Attestation forged = Attestation.decode(attestationBytes(swapped, genuine.signature()));

        assertThat(forged.key()).isEqualTo(mallorysKey);
        assertThatThrownBy(() -> forged.verify(v.verifier(), identityPublic, NOW))
                .isInstanceOf(IdentityException.class).hasMessage("the channel key attestation has a bad signature");
    }

    @Test
    void theSignatureCoversTheExpirySoItCannotBeExtended() throws Exception {
        Attestation genuine = attestation(NOW.plus(Duration.ofDays(1)));
        byte[] extended = statement(Attestation.VERSION, ALICE.value(), KeyCodes.code(KeyType.X25519), channelKey.bytes(),
                NOW.plus(Duration.ofDays(20)).getEpochSecond());
        Attestation forged = Attestation.decode(attestationBytes(extended, genuine.signature()));

        assertThatThrownBy(() -> forged.verify(v.verifier(), identityPublic, NOW))
                .isInstanceOf(IdentityException.class).hasMessage("the channel key attestation has a bad signature");
    }

    @Test
    void aSignatureOverTheBareStatementWithoutTheAttestationContextIsRefused() throws Exception {
        byte[] statement = statement(Attestation.VERSION, ALICE.value(), KeyCodes.code(KeyType.X25519), channelKey.bytes(),
                NOW.plus(Duration.ofDays(1)).getEpochSecond());
        byte[] contextless = v.identity().sign(identityKey, statement);
        byte[] withContext = v.identity().sign(identityKey, concat(Attestation.SIGNING_CONTEXT, statement));

        Attestation.decode(attestationBytes(statement, withContext)).verify(v.verifier(), identityPublic, NOW);
        assertThatThrownBy(() -> Attestation.decode(attestationBytes(statement, contextless)).verify(v.verifier(), identityPublic, NOW))
                .isInstanceOf(IdentityException.class).hasMessage("the channel key attestation has a bad signature");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void anAttestationIsValidUntilJustBeforeItsExpiry() throws Exception {
        Instant expires = NOW.plus(Duration.ofDays(1));
        Attestation a = attestation(expires);

        a.verify(v.verifier(), identityPublic, expires.minusSeconds(1));
        assertHopsealError(ErrorKind.INVALID, () -> a.verify(v.verifier(), identityPublic, expires))
                .isInstanceOf(IdentityException.class).hasMessageContaining("expired at " + expires);
        assertThatThrownBy(() -> a.checkExpiry(expires.plusSeconds(3600))).hasMessageContaining("expired");
    }

    @Test
    void aValidityOfThirtyDaysPlusTheClockSkewIsAcceptedAndOneSecondMoreIsNot() throws Exception {
        Instant limit = NOW.plus(Attestation.MAX_VALIDITY).plus(Attestation.CLOCK_SKEW);

        attestation(limit).verify(v.verifier(), identityPublic, NOW);
        Attestation tooLong = attestation(limit.plusSeconds(1));
        assertHopsealError(ErrorKind.INVALID, () -> tooLong.verify(v.verifier(), identityPublic, NOW))
                .isInstanceOf(IdentityException.class).hasMessageContaining("longer than the 30 days allowed");
        assertThat(Attestation.MAX_VALIDITY).isEqualTo(Duration.ofDays(30));
        assertThat(Attestation.CLOCK_SKEW).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anAttestationFromAClockFiveMinutesAheadIsAcceptedButNotFromOneTenMinutesAhead() throws Exception {
        // The signer's clock is ahead of ours: it attests for 30 days from its own now.
        attestation(NOW.plus(Duration.ofMinutes(5)).plus(Attestation.MAX_VALIDITY)).checkExpiry(NOW);
        Attestation fromFarAhead = attestation(NOW.plus(Duration.ofMinutes(10)).plus(Attestation.MAX_VALIDITY));
        assertThatThrownBy(() -> fromFarAhead.checkExpiry(NOW)).isInstanceOf(IdentityException.class);
    }

    @Test
    void trailingBytesAfterTheAttestationOrItsStatementAreRefused() throws Exception {
        Attestation a = attestation(NOW.plus(Duration.ofDays(1)));
        byte[] encoded = a.encode();
        byte[] afterAttestation = Arrays.copyOf(encoded, encoded.length + 1);
        byte[] longerStatement = Arrays.copyOf(a.statement(), a.statement().length + 1);

        assertThatThrownBy(() -> Attestation.decode(afterAttestation)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("attestation");
        assertThatThrownBy(() -> Attestation.decode(attestationBytes(longerStatement, a.signature())))
                .isInstanceOf(DecodeException.class).hasMessageContaining("attestation statement");
    }

    @Test
    void anUnknownVersionAnInvalidIdentifierOrAnUnknownKeyTypeIsRefused() {
        byte[] key = new byte[32];
        long expires = NOW.getEpochSecond();

        assertThatThrownBy(() -> Attestation.decode(attestationBytes(statement(2, ALICE.value(), 2, key, expires), new byte[64])))
                .isInstanceOf(DecodeException.class).hasMessageContaining("unsupported attestation version 2");
        assertThatThrownBy(() -> Attestation.decode(attestationBytes(statement(1, "Inothex", 2, key, expires), new byte[64])))
                .isInstanceOf(DecodeException.class).hasMessageContaining("invalid identifier");
        assertThatThrownBy(() -> Attestation.decode(attestationBytes(statement(1, ALICE.value(), 9, key, expires), new byte[64])))
                .isInstanceOf(DecodeException.class).hasMessageContaining("unknown key type code 9");
        assertThatThrownBy(() -> Attestation.decode(attestationBytes(statement(1, ALICE.value(), 1, key, expires), new byte[64])))
                .as("a P-256 key is 65 bytes").isInstanceOf(DecodeException.class).hasMessageContaining("not 32");
    }

    @Test
    void expiriesFromTheEpochToTheLastInstantDecodeAndLargerOnesAreRefused() throws Exception {
        byte[] key = channelKey.bytes();
        long last = Instant.MAX.getEpochSecond();

        assertThat(Attestation.decode(attestationBytes(statement(1, ALICE.value(), 2, key, 0), new byte[64])).expires())
                .isEqualTo(Instant.EPOCH);
        assertThat(Attestation.decode(attestationBytes(statement(1, ALICE.value(), 2, key, last), new byte[64])).expires())
                .isEqualTo(Instant.ofEpochSecond(last));
        assertThatThrownBy(() -> Attestation.decode(attestationBytes(statement(1, ALICE.value(), 2, key, last + 1), new byte[64])))
                .isInstanceOf(DecodeException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Attestation.decode(attestationBytes(statement(1, ALICE.value(), 2, key, -1), new byte[64])))
                .as("2^64 - 1 as an unsigned u64").isInstanceOf(DecodeException.class)
                .hasMessageContaining("18446744073709551615 is out of range");
    }

    @Test
    void theStatementHasTheDocumentedLayout() throws Exception {
        Instant expires = NOW.plus(Duration.ofDays(2));
        BareReader r = new BareReader(attestation(expires).statement());

        assertThat(r.readU8()).isEqualTo(1);
        assertThat(r.readString()).isEqualTo(ALICE.value());
        assertThat(r.readU8()).isEqualTo(KeyCodes.code(KeyType.X25519));
        assertThat(r.readData()).isEqualTo(channelKey.bytes());
        assertThat(r.readU64()).isEqualTo(expires.getEpochSecond());
        r.expectEnd("statement");
        assertThat(new String(Attestation.SIGNING_CONTEXT, StandardCharsets.US_ASCII)).isEqualTo("hopseal/attestation/1");
    }
}
