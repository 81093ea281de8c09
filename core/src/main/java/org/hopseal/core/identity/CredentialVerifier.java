package org.hopseal.core.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.AuthenticationFailedException;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.error.IdentityException;
import org.hopseal.api.identity.ChangeHistory;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.vault.SigningVault;
import org.hopseal.api.vault.Verifier;
import org.hopseal.core.channel.PeerAttributes;
import org.hopseal.core.channel.PresentedCredentials;

/**
 * Verifies the credentials a peer presents about itself against the authorities a channel end trusts (see
 * {@code docs/credentials.md}). Credentials from other authorities are ignored before any signature check, so a peer
 * cannot make the verifier check histories or signatures of authorities it never chose.
 *
 * <p>A credential from a trusted authority must have: the authority's history, accepted against the one known for it
 * ({@link KnownIdentities}: a history that ends at a key the authority rotated away is refused); a signature by that
 * history's key in force; the verified subject and its current head; an issue time no later than now plus
 * {@link #CLOCK_SKEW}; an expiry after now; a validity of at most {@link #MAX_VALIDITY}. Attributes of all accepted
 * credentials are merged; two that give one attribute different values are refused. The attributes expire with the
 * first credential that expires.
 */
final class CredentialVerifier {
    /** How far ahead of the verifier's clock an authority's clock may be. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    /** The longest validity a credential may claim. */
    static final Duration MAX_VALIDITY = Duration.ofDays(366);

    private final Verifier verifier;
    private final SigningVault records;
    private final KnownIdentities known;
    private final int maxAuthorityChanges;

    CredentialVerifier(Verifier verifier, SigningVault records, KnownIdentities known, int maxAuthorityChanges) {
        this.verifier = verifier;
        this.records = records;
        this.known = known;
        this.maxAuthorityChanges = maxAuthorityChanges;
    }

    /** The attributes that {@code presented} (encoded credentials) vouch for {@code subject}, whose head is {@code head}. */
    PeerAttributes verify(List<byte[]> presented, Identifier subject, byte[] head, Set<Identifier> authorities, Instant now)
            throws HopsealException {
        if (presented.size() > PresentedCredentials.MAX) {
            throw new CredentialException(ErrorKind.INVALID, presented.size() + " credentials presented; at most " + PresentedCredentials.MAX + " are accepted");
        }
        Map<String, String> attributes = new TreeMap<>();
        Instant expires = null;
        for (byte[] encoded : presented) {
            Credential c = Credential.decode(encoded);
            if (!authorities.contains(c.authority())) {
                continue;
            }
            verifyOne(c, subject, head, now);
            for (Map.Entry<String, String> e : c.attributes().entrySet()) {
                String before = attributes.putIfAbsent(e.getKey(), e.getValue());
                if (before != null && !before.equals(e.getValue())) {
                    throw new CredentialException(ErrorKind.INVALID, "two credentials give attribute '" + e.getKey() + "' different values");
                }
            }
            expires = expires == null || c.expiresAt().isBefore(expires) ? c.expiresAt() : expires;
        }
        return expires == null ? PeerAttributes.NONE : new PeerAttributes(attributes, expires);
    }

    /** Checks one credential of a trusted authority. */
    void verifyOne(Credential c, Identifier subject, byte[] head, Instant now) throws HopsealException {
        ChangeHistory authority;
        try {
            // Whose history it is costs one hash: refuse another identity's before checking its signatures or keeping it.
            if (!IdentityHistory.identifier(verifier, IdentityHistory.decode(c.authorityHistory())).equals(c.authority())) {
                throw new CredentialException(ErrorKind.INVALID, "the credential carries the history of another identity than its authority");
            }
            authority = known.accept(c.authorityHistory(), verifier, records, maxAuthorityChanges);
        } catch (IdentityException e) {
            throw new CredentialException(e.kind(), "the history of the credential's authority is refused: " + e.getMessage(), e);
        }
        try {
            verifier.verify(authority.currentKey(), Credential.signedBytes(c.body()), c.signature());
        } catch (AuthenticationFailedException e) {
            throw new CredentialException(ErrorKind.AUTHENTICATION, "the credential's signature does not verify");
        }
        if (!c.subject().equals(subject)) {
            throw new CredentialException(ErrorKind.INVALID, "the credential is about " + c.subject() + ", not " + subject);
        }
        if (!Arrays.equals(c.subjectHead(), head)) {
            throw new CredentialException(ErrorKind.INVALID, "the credential was issued for another key of " + subject
                    + " (it rotated since, or the authority knew an older history): ask the authority for a new one");
        }
        if (c.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw new CredentialException(ErrorKind.INVALID, "the credential is issued at " + c.issuedAt() + ", in the future");
        }
        if (!now.isBefore(c.expiresAt())) {
            throw new CredentialException(ErrorKind.INVALID, "the credential expired at " + c.expiresAt());
        }
        if (Duration.between(c.issuedAt(), c.expiresAt()).compareTo(MAX_VALIDITY) > 0) {
            throw new CredentialException(ErrorKind.INVALID, "the credential claims a validity longer than " + MAX_VALIDITY.toDays() + " days");
        }
    }
}
