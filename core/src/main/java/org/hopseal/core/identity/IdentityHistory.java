package org.hopseal.core.identity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.HashAlgorithm;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.vault.SigningKeyHandle;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Verifier;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * A hash-chained, signed history of an identity's keys: {@code u8 version (1) | uint count | change*}. The first
 * change creates the root key; each later one rotates it and is signed by both the previous and the new key.
 * {@link #verify} replays the whole history and rejects any break, reordering or bad signature.
 */
final class IdentityHistory {
    static final int VERSION = 1;

    private IdentityHistory() {
    }

    /** Creates the first change for {@code key}. */
    static List<IdentityChange> create(SigningVault vault, SigningKeyHandle key) throws HopsealException {
        PublicKey pub = vault.publicKey(key);
        byte[] body = IdentityChange.body(0, new byte[0], pub);
        byte[] self = vault.sign(key, IdentityChange.signedBytes(body));
        return List.of(new IdentityChange(body, 0, new byte[0], pub, self, null));
    }

    /** Appends a rotation from {@code previous} to {@code next}, signed by both. */
    static List<IdentityChange> rotate(List<IdentityChange> history, Verifier verifier, SigningVault vault,
            SigningKeyHandle previous, SigningKeyHandle next) throws HopsealException {
        IdentityChange last = history.get(history.size() - 1);
        PublicKey pub = vault.publicKey(next);
        byte[] body = IdentityChange.body(history.size(), changeId(verifier, last), pub);
        byte[] signed = IdentityChange.signedBytes(body);
        List<IdentityChange> out = new ArrayList<>(history);
        out.add(new IdentityChange(body, history.size(), changeId(verifier, last), pub, vault.sign(next, signed), vault.sign(previous, signed)));
        return List.copyOf(out);
    }

    static byte[] changeId(Verifier verifier, IdentityChange change) throws HopsealException {
        return verifier.hash(HashAlgorithm.SHA256, change.body());
    }

    static byte[] encode(List<IdentityChange> history) {
        BareWriter w = new BareWriter(256);
        w.writeU8(VERSION).writeUint(history.size());
        for (IdentityChange c : history) {
            c.encode(w);
        }
        return w.toByteArray();
    }

    /** Decodes and verifies an encoded history; any defect is an {@link IdentityException}. */
    static ChangeHistory verify(byte[] encoded, Verifier verifier) throws HopsealException {
        return verify(decode(encoded), verifier, encoded);
    }

    /** Decodes a history without verifying it; a malformed one is an {@link IdentityException}. */
    static List<IdentityChange> decode(byte[] encoded) throws IdentityException {
        List<IdentityChange> changes;
        try {
            BareReader r = new BareReader(encoded);
            int version = r.readU8();
            if (version != VERSION) {
                throw new DecodeException("unsupported identity history version " + version);
            }
            int count = r.readLength(3, "identity history");
            if (count == 0 || count > IdentityChange.MAX_CHANGES) {
                throw new DecodeException("an identity history has 1 to " + IdentityChange.MAX_CHANGES + " changes, not " + count);
            }
            changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                changes.add(IdentityChange.decode(r));
            }
            r.expectEnd("identity history");
        } catch (DecodeException e) {
            throw new IdentityException(ErrorKind.INVALID, "malformed identity history: " + e.getMessage(), e);
        }
        return changes;
    }

    static ChangeHistory verify(List<IdentityChange> changes, Verifier verifier, byte[] encoded) throws HopsealException {
        return verifyExtension(List.of(), changes, verifier, encoded);
    }

    /**
     * Verifies {@code changes}, whose first {@code known.size()} changes have bodies equal to {@code known} (a history
     * verified before): only the changes after those are checked, two signatures each.
     */
    static ChangeHistory verifyExtension(List<IdentityChange> known, List<IdentityChange> changes, Verifier verifier,
            byte[] encoded) throws HopsealException {
        List<PublicKey> keys = new ArrayList<>(changes.size());
        for (int i = 0; i < known.size(); i++) {
            keys.add(known.get(i).key());
        }
        IdentityChange last = known.isEmpty() ? null : known.get(known.size() - 1);
        byte[] previousId = last == null ? new byte[0] : changeId(verifier, last);
        PublicKey previousKey = last == null ? null : last.key();
        for (int i = known.size(); i < changes.size(); i++) {
            IdentityChange c = changes.get(i);
            if (c.index() != i) {
                throw new IdentityException(ErrorKind.INVALID, "identity change " + i + " claims index " + c.index() + " (reordered history)");
            }
            if (!Arrays.equals(c.previousId(), previousId)) {
                throw new IdentityException(ErrorKind.INVALID, "identity change " + i + " does not follow change " + (i - 1) + " (broken chain)");
            }
            if (c.key().type() != KeyType.ED25519 && c.key().type() != KeyType.ECDSA_P256) {
                throw new IdentityException(ErrorKind.INVALID, "identity change " + i + " has a " + c.key().type()
                        + " key; identity keys are Ed25519 or ECDSA P-256");
            }
            byte[] signed = IdentityChange.signedBytes(c.body());
            try {
                verifier.verify(c.key(), signed, c.selfSignature());
                if (i == 0) {
                    if (c.previousSignature() != null) {
                        throw new IdentityException(ErrorKind.INVALID, "the first identity change has no previous key to sign it");
                    }
                } else {
                    if (c.previousSignature() == null) {
                        throw new IdentityException(ErrorKind.INVALID, "identity change " + i + " is not signed by the previous key");
                    }
                    verifier.verify(previousKey, signed, c.previousSignature());
                }
            } catch (AuthenticationFailedException e) {
                throw new IdentityException(ErrorKind.AUTHENTICATION, "identity change " + i + " has a bad signature");
            }
            keys.add(c.key());
            previousKey = c.key();
            previousId = changeId(verifier, c);
        }
        return new ChangeHistory(identifier(verifier, changes), keys, encoded);
    }

    /** The head of {@code history}: the id of its last change, which credentials name. */
    static byte[] head(Verifier verifier, ChangeHistory history) throws HopsealException {
        List<IdentityChange> changes = decode(history.encoded());
        return changeId(verifier, changes.get(changes.size() - 1));
    }

    /** The identifier of a history: {@code I} + hex(SHA-256(first body)); one hash, no signature checked. */
    static Identifier identifier(Verifier verifier, List<IdentityChange> changes) throws HopsealException {
        return new Identifier("I" + HexFormat.of().formatHex(verifier.hash(HashAlgorithm.SHA256, changes.get(0).body())));
    }
}
