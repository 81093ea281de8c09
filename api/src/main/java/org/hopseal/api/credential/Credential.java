package org.hopseal.api.credential;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * An authority's signed statement that a subject identity has attributes until an expiry, e.g. "{@code I3f…} has
 * {@code role=web}, {@code env=prod} until Friday". Decoding checks the form only; a channel end (or
 * {@code Entity.verifyPeer}) checks the signature, the authority's history, the subject and the validity.
 *
 * <pre>
 * body       = u8 version (1) | string authority | data authority_history | string subject | data subject_head (32)
 *              | uint n (0..64) | (string name | string value) * n | u64 issued_at | u64 expires_at (unix seconds)
 * credential = data body | data signature      -- by the authority's key in force, over "hopseal/credential/1" || body
 * </pre>
 *
 * Names are in strictly ascending order (one encoding per credential). See {@code docs/credentials.md}.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.3
 */
public final class Credential {
    /** The encoding's version. */
    public static final int VERSION = 1;
    /** The longest encoding a decoder accepts. */
    public static final int MAX_ENCODED = 16 * 1024;
    /** The most attributes a credential may carry. */
    public static final int MAX_ATTRIBUTES = 64;
    /** The longest attribute value, in UTF-8 bytes. */
    public static final int MAX_VALUE_BYTES = 256;
    /** An attribute name: a lower-case letter, then up to 63 lower-case letters, digits, {@code _} or {@code -}. */
    public static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    /** The name policies use for the peer's identifier, so no attribute may have it. */
    public static final String IDENTIFIER_NAME = "identifier";
    /** What a credential's text form starts with. */
    public static final String TEXT_PREFIX = "hopseal-credential:";
    /** What the authority's signature covers before the body: the ASCII bytes of {@code hopseal/credential/1}. */
    private static final byte[] SIGNING_CONTEXT = "hopseal/credential/1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] body;
    private final byte[] signature;
    private final Identifier authority;
    private final byte[] authorityHistory;
    private final Identifier subject;
    private final byte[] subjectHead;
    private final SortedMap<String, String> attributes;
    private final Instant issuedAt;
    private final Instant expiresAt;

    private Credential(byte[] body, byte[] signature, Identifier authority, byte[] authorityHistory, Identifier subject,
            byte[] subjectHead, SortedMap<String, String> attributes, Instant issuedAt, Instant expiresAt) {
        this.body = body;
        this.signature = signature;
        this.authority = authority;
        this.authorityHistory = authorityHistory;
        this.subject = subject;
        this.subjectHead = subjectHead;
        this.attributes = Collections.unmodifiableSortedMap(attributes);
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    /**
     * The body an authority signs: fails ({@link ErrorKind#INVALID}) on an attribute name or value outside the rules,
     * too many attributes, a head that is not 32 bytes, an issue time before 1970, or an expiry not at least a whole
     * second (in epoch seconds, as encoded) after the issue time.
     *
     * @param authority who vouches
     * @param authorityHistory the authority's encoded change history; its last key is to sign
     * @param subject who the attributes are about
     * @param subjectHead the id of the last change of the subject's history: 32 bytes
     * @param attributes attribute names to values, at most {@value #MAX_ATTRIBUTES}, each as
     *     {@link #checkAttribute} allows
     * @param issuedAt when the credential starts to hold; kept in whole seconds
     * @param expiresAt when it stops holding; kept in whole seconds
     * @return the body, ready for {@link #signedBytes}
     * @throws CredentialException {@code INVALID} for any of the reasons above, or a credential that would exceed
     *     {@value #MAX_ENCODED} bytes once signed
     */
    public static byte[] body(Identifier authority, byte[] authorityHistory, Identifier subject, byte[] subjectHead,
            Map<String, String> attributes, Instant issuedAt, Instant expiresAt) throws CredentialException {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(subject, "subject");
        SortedMap<String, String> sorted = checkAttributes(new TreeMap<>(attributes));
        if (subjectHead.length != 32) {
            throw new CredentialException(ErrorKind.INVALID, "a subject head is 32 bytes, not " + subjectHead.length);
        }
        // The encoding keeps whole seconds from 1970: refuse here what decode would refuse.
        if (issuedAt.getEpochSecond() < 0) {
            throw new CredentialException(ErrorKind.INVALID, "a credential's times are from 1970 on");
        }
        if (expiresAt.getEpochSecond() <= issuedAt.getEpochSecond()) {
            throw new CredentialException(ErrorKind.INVALID, "a credential must expire after it is issued");
        }
        BareWriter w = new BareWriter(authorityHistory.length + 256).writeU8(VERSION).writeString(authority.value())
                .writeData(authorityHistory).writeString(subject.value()).writeData(subjectHead).writeUint(sorted.size());
        sorted.forEach((name, value) -> w.writeString(name).writeString(value));
        byte[] out = w.writeU64(issuedAt.getEpochSecond()).writeU64(expiresAt.getEpochSecond()).toByteArray();
        if (out.length + 128 > MAX_ENCODED) {
            throw new CredentialException(ErrorKind.INVALID, "the credential would exceed " + MAX_ENCODED + " bytes");
        }
        return out;
    }

    /**
     * What the authority signs.
     *
     * @param body a credential body
     * @return {@code SIGNING_CONTEXT || body}, a new array
     */
    public static byte[] signedBytes(byte[] body) {
        return SignedEnvelope.signedBytes(SIGNING_CONTEXT, body);
    }

    /**
     * A credential from a body and the authority's signature over {@link #signedBytes}. The signature is not checked
     * here.
     *
     * @param body the body, as {@link #body} made it
     * @param signature the authority's signature
     * @return the credential
     * @throws CredentialException as {@link #decode} does
     */
    public static Credential of(byte[] body, byte[] signature) throws CredentialException {
        return decode(SignedEnvelope.encode(body, signature));
    }

    /**
     * Decodes a credential, checking its form only (not its signature or validity).
     *
     * @param encoded the encoding ({@link #encoded()}), from anyone
     * @return the credential
     * @throws CredentialException {@code UNSUPPORTED} for another version; {@code INVALID} for an encoding over
     *     {@value #MAX_ENCODED} bytes, a malformed one, a subject head that is not 32 bytes, attributes outside the
     *     rules or out of order, or an expiry not after the issue time
     */
    public static Credential decode(byte[] encoded) throws CredentialException {
        try {
            SignedEnvelope.Parts parts = SignedEnvelope.open(encoded, MAX_ENCODED, "credential");
            byte[] body = parts.body();
            byte[] signature = parts.signature();
            BareReader b = new BareReader(body);
            int version = b.readU8();
            if (version != VERSION) {
                throw new CredentialException(ErrorKind.UNSUPPORTED, "unsupported credential version " + version);
            }
            Identifier authority = identifier(b.readString(), "authority");
            byte[] authorityHistory = b.readData();
            Identifier subject = identifier(b.readString(), "subject");
            byte[] subjectHead = b.readData();
            if (subjectHead.length != 32) {
                throw new CredentialException(ErrorKind.INVALID, "a subject head is 32 bytes, not " + subjectHead.length);
            }
            int n = (int) b.readUint(MAX_ATTRIBUTES, "attributes");
            SortedMap<String, String> attributes = new TreeMap<>();
            String previous = null;
            for (int i = 0; i < n; i++) {
                String name = b.readString();
                String value = b.readString();
                if (previous != null && previous.compareTo(name) >= 0) {
                    throw new CredentialException(ErrorKind.INVALID, "attribute names are not in strictly ascending order at '"
                            + printable(name) + "'");
                }
                previous = name;
                attributes.put(name, value);
            }
            checkAttributes(attributes);
            Instant issuedAt = instant(b.readU64(), "issue time");
            Instant expiresAt = instant(b.readU64(), "expiry");
            b.expectEnd("credential body");
            if (!expiresAt.isAfter(issuedAt)) {
                throw new CredentialException(ErrorKind.INVALID, "the credential expires (" + expiresAt + ") before it is issued (" + issuedAt + ")");
            }
            return new Credential(body, signature, authority, authorityHistory, subject, subjectHead, attributes, issuedAt, expiresAt);
        } catch (DecodeException e) {
            throw new CredentialException(ErrorKind.INVALID, "malformed credential: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text form ({@link #toText()}); surrounding white space is ignored.
     *
     * @param text {@value #TEXT_PREFIX} and base64url
     * @return the credential, its form checked as {@link #decode} does
     * @throws CredentialException {@code INVALID} if the text lacks the prefix, is not base64url, or is longer than
     *     any credential; or as {@link #decode} does
     */
    public static Credential parse(String text) throws CredentialException {
        return decode(SignedEnvelope.fromText(text, TEXT_PREFIX, MAX_ENCODED, "credential"));
    }

    /** {@return one line: {@value #TEXT_PREFIX} and the encoding in base64url without padding} */
    public String toText() {
        return SignedEnvelope.toText(TEXT_PREFIX, encoded());
    }

    /** {@return the encoding: {@code data body | data signature}} */
    public byte[] encoded() {
        return SignedEnvelope.encode(body, signature);
    }

    /** {@return a copy of the signed body} */
    public byte[] body() {
        return body.clone();
    }

    /** {@return a copy of the authority's signature over {@link #signedBytes signedBytes(body)}} */
    public byte[] signature() {
        return signature.clone();
    }

    /** {@return who vouches: the authority that signed} */
    public Identifier authority() {
        return authority;
    }

    /**
     * {@return a copy of the authority's encoded change history as it was when it signed (its last key made the
     * signature)}
     */
    public byte[] authorityHistory() {
        return authorityHistory.clone();
    }

    /** {@return who the attributes are about} */
    public Identifier subject() {
        return subject;
    }

    /**
     * {@return a copy of the id of the last change of the subject's history when the credential was issued: SHA-256
     * of its body} A credential is valid only for that history head, so a subject that rotates its key needs a new one.
     */
    public byte[] subjectHead() {
        return subjectHead.clone();
    }

    /** {@return the attributes, by name, unmodifiable} */
    public SortedMap<String, String> attributes() {
        return attributes;
    }

    /** {@return when the credential starts to hold, in whole seconds} */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** {@return when the credential stops holding, in whole seconds; verifiers refuse it from then on} */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential c && Arrays.equals(c.body, body) && Arrays.equals(c.signature, signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Credential{" + subject + " " + attributes + " by " + authority + " until " + expiresAt + "}";
    }

    private static SortedMap<String, String> checkAttributes(SortedMap<String, String> attributes) throws CredentialException {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new CredentialException(ErrorKind.INVALID, "a credential carries at most " + MAX_ATTRIBUTES + " attributes, not " + attributes.size());
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            checkAttribute(e.getKey(), e.getValue());
        }
        return attributes;
    }

    /**
     * Fails unless {@code name} follows {@link #ATTRIBUTE_NAME} (and is not {@value #IDENTIFIER_NAME}) and
     * {@code value} the value rules: well-formed Unicode, at most {@value #MAX_VALUE_BYTES} bytes in UTF-8, no
     * control characters.
     *
     * @param name the attribute's name
     * @param value the attribute's value
     * @throws CredentialException {@code INVALID}, saying which rule is broken
     */
    public static void checkAttribute(String name, String value) throws CredentialException {
        if (!ATTRIBUTE_NAME.matcher(name).matches() || name.equals(IDENTIFIER_NAME)) {
            throw new CredentialException(ErrorKind.INVALID, "'" + printable(name) + "' is not an attribute name: use a lower-case letter,"
                    + " then up to 63 lower-case letters, digits, '_' or '-' (and not '" + IDENTIFIER_NAME + "')");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            // An unpaired surrogate, which UTF-8 encoding would silently turn into '?'.
            throw new CredentialException(ErrorKind.INVALID, "the value of attribute '" + name + "' is not well-formed Unicode");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new CredentialException(ErrorKind.INVALID, "the value of attribute '" + name + "' exceeds " + MAX_VALUE_BYTES + " bytes");
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            throw new CredentialException(ErrorKind.INVALID, "the value of attribute '" + name + "' contains a control character");
        }
    }

    private static Identifier identifier(String value, String what) throws CredentialException {
        try {
            return new Identifier(value);
        } catch (IllegalArgumentException e) {
            throw new CredentialException(ErrorKind.INVALID, "the credential's " + what + " is not an identifier");
        }
    }

    private static Instant instant(long seconds, String what) throws CredentialException {
        if (seconds < 0 || seconds > Instant.MAX.getEpochSecond()) {
            throw new CredentialException(ErrorKind.INVALID, "the credential's " + what + " " + Long.toUnsignedString(seconds) + " is out of range");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
