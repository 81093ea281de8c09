package org.hopseal.api.credential;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * A one-time enrollment ticket: an authority's signed promise to vouch for the attributes it names to whoever presents
 * it first (or to the first {@code uses} presenters), until it expires. It names the authority and the route to its
 * secure-channel listener, so the ticket alone is enough to enroll. Whoever holds a ticket can use it: it is a secret,
 * and never logged.
 *
 * <pre>
 * body   = u8 version (1) | string authority | uint r (1..32) | string address * r | data id (16 random bytes)
 *          | uint n (0..64) | (string name | string value) * n | u64 expires_at (unix seconds) | uint uses (1..1000)
 * ticket = data body | data signature      -- by the authority's key in force, over "hopseal/enrollment-ticket/1" || body
 * </pre>
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.3
 */
public final class EnrollmentTicket {
    /** The encoding's version. */
    public static final int VERSION = 1;
    /** The longest encoding a decoder accepts. */
    public static final int MAX_ENCODED = 8 * 1024;
    /** The most uses a ticket may allow. */
    public static final int MAX_USES = 1000;
    /** The longest a ticket may be valid for. */
    public static final Duration MAX_VALIDITY = Duration.ofDays(30);
    /** The size of a ticket's random id. */
    public static final int ID_BYTES = 16;
    /** What a ticket's text form starts with. */
    public static final String TEXT_PREFIX = "hopseal-ticket:";
    /** What the authority's signature covers before the body: the ASCII of {@code hopseal/enrollment-ticket/1}. */
    private static final byte[] SIGNING_CONTEXT = "hopseal/enrollment-ticket/1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] body;
    private final byte[] signature;
    private final Identifier authority;
    private final Route route;
    private final byte[] id;
    private final SortedMap<String, String> attributes;
    private final Instant expiresAt;
    private final int uses;

    private EnrollmentTicket(byte[] body, byte[] signature, Identifier authority, Route route, byte[] id,
            SortedMap<String, String> attributes, Instant expiresAt, int uses) {
        this.body = body;
        this.signature = signature;
        this.authority = authority;
        this.route = route;
        this.id = id;
        this.attributes = Collections.unmodifiableSortedMap(attributes);
        this.expiresAt = expiresAt;
        this.uses = uses;
    }

    /**
     * The body an authority signs: fails ({@link ErrorKind#INVALID}) on an empty route or one longer than
     * {@link Route#MAX_LENGTH}, an id that is not {@link #ID_BYTES} bytes, uses outside 1 to {@link #MAX_USES}, an
     * expiry before 1970, attributes outside {@link Credential#checkAttribute}'s rules or more than
     * {@link Credential#MAX_ATTRIBUTES} of them, or a ticket that would exceed {@link #MAX_ENCODED} bytes.
     *
     * @param authority the authority that signs and enrolls
     * @param route the route from members to the authority's secure-channel listener
     * @param id {@value #ID_BYTES} random bytes, by which the authority counts the ticket's uses
     * @param attributes what an enrolled member is vouched for
     * @param expiresAt until when the ticket can be used; kept in whole seconds
     * @param uses how many enrollments it allows
     * @return the body, ready for {@link #signedBytes}
     * @throws CredentialException {@code INVALID} for any of the reasons above
     */
    public static byte[] body(Identifier authority, Route route, byte[] id, Map<String, String> attributes, Instant expiresAt,
            int uses) throws CredentialException {
        if (route.isEmpty()) {
            throw new CredentialException(ErrorKind.INVALID, "a ticket needs the route to the authority's listener");
        }
        // Refuse here what decode would refuse.
        if (route.size() > Route.MAX_LENGTH) {
            throw new CredentialException(ErrorKind.INVALID, "a ticket's route has at most " + Route.MAX_LENGTH + " addresses, not "
                    + route.size());
        }
        if (expiresAt.getEpochSecond() < 0) {
            throw new CredentialException(ErrorKind.INVALID, "a ticket's expiry is from 1970 on");
        }
        if (id.length != ID_BYTES) {
            throw new CredentialException(ErrorKind.INVALID, "a ticket id is " + ID_BYTES + " bytes");
        }
        if (uses < 1 || uses > MAX_USES) {
            throw new CredentialException(ErrorKind.INVALID, "a ticket allows 1 to " + MAX_USES + " uses, not " + uses);
        }
        if (attributes.size() > Credential.MAX_ATTRIBUTES) {
            throw new CredentialException(ErrorKind.INVALID, "a ticket carries at most " + Credential.MAX_ATTRIBUTES + " attributes");
        }
        SortedMap<String, String> sorted = new TreeMap<>(attributes);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            Credential.checkAttribute(e.getKey(), e.getValue());
        }
        BareWriter w = new BareWriter(512).writeU8(VERSION).writeString(authority.value()).writeUint(route.size());
        route.addresses().forEach(a -> w.writeString(a.toString()));
        w.writeData(id).writeUint(sorted.size());
        sorted.forEach((name, value) -> w.writeString(name).writeString(value));
        byte[] out = w.writeU64(expiresAt.getEpochSecond()).writeUint(uses).toByteArray();
        if (out.length + 128 > MAX_ENCODED) {
            throw new CredentialException(ErrorKind.INVALID, "the ticket would exceed " + MAX_ENCODED + " bytes");
        }
        return out;
    }

    /**
     * What the authority signs.
     *
     * @param body a ticket body
     * @return {@code SIGNING_CONTEXT || body}, a new array
     */
    public static byte[] signedBytes(byte[] body) {
        return SignedEnvelope.signedBytes(SIGNING_CONTEXT, body);
    }

    /**
     * A ticket from a body and the authority's signature over {@link #signedBytes}. The signature is not checked
     * here.
     *
     * @param body the body, as {@link #body} made it
     * @param signature the authority's signature
     * @return the ticket
     * @throws CredentialException as {@link #decode} does
     */
    public static EnrollmentTicket of(byte[] body, byte[] signature) throws CredentialException {
        return decode(SignedEnvelope.encode(body, signature));
    }

    /**
     * Decodes a ticket, checking its form only (the authority checks the signature, the expiry and the uses).
     *
     * @param encoded the encoding ({@link #encoded()})
     * @return the ticket
     * @throws CredentialException {@code UNSUPPORTED} for another version; {@code INVALID} for an encoding over
     *     {@value #MAX_ENCODED} bytes, a malformed one, a route that is empty, too long or holds an invalid address,
     *     an id that is not {@value #ID_BYTES} bytes, attributes outside the rules or out of order, or uses outside
     *     1 to {@value #MAX_USES}
     */
    public static EnrollmentTicket decode(byte[] encoded) throws CredentialException {
        try {
            SignedEnvelope.Parts parts = SignedEnvelope.open(encoded, MAX_ENCODED, "ticket");
            byte[] body = parts.body();
            byte[] signature = parts.signature();
            BareReader b = new BareReader(body);
            int version = b.readU8();
            if (version != VERSION) {
                throw new CredentialException(ErrorKind.UNSUPPORTED, "unsupported ticket version " + version);
            }
            Identifier authority;
            try {
                authority = new Identifier(b.readString());
            } catch (IllegalArgumentException e) {
                throw new CredentialException(ErrorKind.INVALID, "the ticket's authority is not an identifier");
            }
            int hops = (int) b.readUint(Route.MAX_LENGTH, "route length");
            if (hops == 0) {
                throw new CredentialException(ErrorKind.INVALID, "the ticket has no route to its authority");
            }
            List<Address> addresses = new ArrayList<>(hops);
            for (int i = 0; i < hops; i++) {
                try {
                    addresses.add(Address.of(b.readString()));
                } catch (IllegalArgumentException e) {
                    throw new CredentialException(ErrorKind.INVALID, "the ticket's route holds an invalid address: " + e.getMessage());
                }
            }
            byte[] id = b.readData();
            if (id.length != ID_BYTES) {
                throw new CredentialException(ErrorKind.INVALID, "a ticket id is " + ID_BYTES + " bytes, not " + id.length);
            }
            int n = (int) b.readUint(Credential.MAX_ATTRIBUTES, "attributes");
            SortedMap<String, String> attributes = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String name = b.readString();
                String value = b.readString();
                if (!attributes.isEmpty() && attributes.lastKey().compareTo(name) >= 0) {
                    throw new CredentialException(ErrorKind.INVALID, "the ticket's attribute names are not in strictly ascending order");
                }
                Credential.checkAttribute(name, value);
                attributes.put(name, value);
            }
            long expires = b.readU64();
            if (expires < 0 || expires > Instant.MAX.getEpochSecond()) {
                throw new CredentialException(ErrorKind.INVALID, "the ticket's expiry is out of range");
            }
            int uses = (int) b.readUint(MAX_USES, "uses");
            b.expectEnd("ticket body");
            if (uses < 1) {
                throw new CredentialException(ErrorKind.INVALID, "a ticket allows at least one use");
            }
            return new EnrollmentTicket(body, signature, authority, Route.of(addresses), id, attributes, Instant.ofEpochSecond(expires), uses);
        } catch (DecodeException e) {
            throw new CredentialException(ErrorKind.INVALID, "malformed ticket: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text form ({@link #toText()}); surrounding white space is ignored.
     *
     * @param text {@value #TEXT_PREFIX} and base64url
     * @return the ticket, its form checked as {@link #decode} does
     * @throws CredentialException {@code INVALID} if the text lacks the prefix, is not base64url, or is longer than
     *     any ticket; or as {@link #decode} does
     */
    public static EnrollmentTicket parse(String text) throws CredentialException {
        return decode(SignedEnvelope.fromText(text, TEXT_PREFIX, MAX_ENCODED, "ticket"));
    }

    /**
     * {@return one line: {@value #TEXT_PREFIX} and the encoding in base64url without padding} It is the secret to
     * hand to the member that is to enroll.
     */
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

    /** {@return the authority that signed the ticket and enrolls its holder} */
    public Identifier authority() {
        return authority;
    }

    /** {@return the route to the authority's secure-channel listener, along which a member opens its channel} */
    public Route route() {
        return route;
    }

    /** {@return a copy of the ticket's random id, by which the authority counts its uses} */
    public byte[] id() {
        return id.clone();
    }

    /** {@return the attributes the enrolled identity is vouched for, by name, unmodifiable} */
    public SortedMap<String, String> attributes() {
        return attributes;
    }

    /** {@return until when the ticket can be used, in whole seconds} */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** {@return how many enrollments the ticket allows, 1 to {@value #MAX_USES}} */
    public int uses() {
        return uses;
    }

    /** Names the authority, the route, the attributes and the expiry; never the ticket's secret parts. */
    @Override
    public String toString() {
        return "EnrollmentTicket{" + attributes + " from " + authority + " at " + route + " until " + expiresAt + ", " + uses + " use(s)}";
    }
}
