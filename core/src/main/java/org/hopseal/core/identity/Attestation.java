package org.hopseal.core.identity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Verifier;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * A signed statement by an identity key that a secure-channel static key belongs to the identity until an expiry
 * (Ockam's purpose-key attestation). It lets an identity key kept in an HSM vouch for a channel key kept in software.
 *
 * <pre>
 * statement   = u8 version (1) | string identifier | u8 key_type | data public_key | u64 expires (unix seconds)
 * attestation = data statement | data signature   (over "hopseal/attestation/1" || statement)
 * </pre>
 */
record Attestation(byte[] statement, Identifier identifier, PublicKey key, Instant expires, byte[] signature) {
    static final int VERSION = 1;
    /** The longest an attestation may be valid for; a verifier refuses one that claims more. */
    static final Duration MAX_VALIDITY = Duration.ofDays(30);
    /** How far the clocks of two nodes may differ. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final byte[] SIGNING_CONTEXT = "hopseal/attestation/1".getBytes(StandardCharsets.US_ASCII);

    static Attestation create(SigningVault vault, SigningKeyHandle identityKey, Identifier identifier, PublicKey key,
            Instant expires) throws HopsealException {
        byte[] statement = new BareWriter().writeU8(VERSION).writeString(identifier.toString())
                .writeU8(KeyCodes.code(key.type())).writeData(key.bytes()).writeU64(expires.getEpochSecond()).toByteArray();
        return new Attestation(statement, identifier, key, expires, vault.sign(identityKey, signed(statement)));
    }

    private static byte[] signed(byte[] statement) {
        byte[] out = Arrays.copyOf(SIGNING_CONTEXT, SIGNING_CONTEXT.length + statement.length);
        System.arraycopy(statement, 0, out, SIGNING_CONTEXT.length, statement.length);
        return out;
    }

    byte[] encode() {
        return new BareWriter().writeData(statement).writeData(signature).toByteArray();
    }

    static Attestation decode(byte[] bytes) throws DecodeException {
        BareReader r = new BareReader(bytes);
        byte[] statement = r.readData();
        byte[] signature = r.readData();
        r.expectEnd("attestation");
        BareReader s = new BareReader(statement);
        int version = s.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported attestation version " + version);
        }
        String id = s.readString();
        Identifier identifier;
        try {
            identifier = new Identifier(id);
        } catch (IllegalArgumentException e) {
            throw new DecodeException("attestation names an invalid identifier");
        }
        PublicKey key = KeyCodes.publicKey(s.readU8(), s.readData());
        long expires = s.readU64();
        s.expectEnd("attestation statement");
        if (expires < 0 || expires > Instant.MAX.getEpochSecond()) {
            throw new DecodeException("attestation expiry " + Long.toUnsignedString(expires) + " is out of range");
        }
        return new Attestation(statement, identifier, key, Instant.ofEpochSecond(expires), signature);
    }

    /** Checks the signature by {@code identityKey} and the expiry against {@code now}. */
    void verify(Verifier verifier, PublicKey identityKey, Instant now) throws HopsealException {
        try {
            verifier.verify(identityKey, signed(statement), signature);
        } catch (AuthenticationFailedException e) {
            throw new IdentityException(ErrorKind.AUTHENTICATION, "the channel key attestation has a bad signature");
        }
        checkExpiry(now);
    }

    /**
     * Checks that the attestation has not expired, and does not claim a validity beyond {@link #MAX_VALIDITY} (plus
     * {@link #CLOCK_SKEW}): a key that was rotated away cannot have vouched for a channel key far into the future.
     */
    void checkExpiry(Instant now) throws IdentityException {
        if (!now.isBefore(expires)) {
            throw new IdentityException(ErrorKind.INVALID, "the channel key attestation expired at " + expires);
        }
        if (expires.isAfter(now.plus(MAX_VALIDITY).plus(CLOCK_SKEW))) {
            throw new IdentityException(ErrorKind.INVALID, "the channel key attestation is valid until " + expires
                    + ", longer than the " + MAX_VALIDITY.toDays() + " days allowed");
        }
    }
}
