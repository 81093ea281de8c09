package org.hopseal.api.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.routing.Address;
import org.hopseal.api.routing.Route;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The enrollment ticket's encoding on its own (no signature is checked here; the authority does that): what survives
 * a round trip through {@link EnrollmentTicket#body}, {@link EnrollmentTicket#of}, bytes and text, and every input
 * that {@link EnrollmentTicket#decode}, {@link EnrollmentTicket#parse} and {@link EnrollmentTicket#body} refuse, with
 * its kind and message. Bodies that {@code body} would never write are built by hand with {@link BareWriter}.
 */
class EnrollmentTicketTest {
    private static final Identifier AUTHORITY = new Identifier("I" + "a1".repeat(32));
    private static final Route ROUTE = Route.of(Address.tcp("10.0.0.1:4000"), Address.local("secure"));
    private static final byte[] ID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final byte[] SIGNATURE = filled(64, 0x5a);
    private static final Instant EXPIRES = Instant.parse("2026-03-01T12:00:00Z");
    private static final String NAME_ERROR = " is not an attribute name: use a lower-case letter, then up to 63 lower-case"
            + " letters, digits, '_' or '-' (and not 'identifier')";

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** A body in the ticket format with every field chosen; {@code attributes} are written in the order given. */
    private static final class Body {
        int version = EnrollmentTicket.VERSION;
        String authority = AUTHORITY.value();
        Long hops;
        String[] route = {"1#10.0.0.1:4000", "secure"};
        byte[] id = ID;
        Long count;
        String[] attributes = {"env", "prod", "role", "web"};
        long expires = EXPIRES.getEpochSecond();
        long uses = 3;
        byte[] trailing = {};

        static Body with(Consumer<Body> change) {
            Body b = new Body();
            change.accept(b);
            return b;
        }

        byte[] bytes() {
            BareWriter w = new BareWriter().writeU8(version).writeString(authority).writeUint(hops != null ? hops : route.length);
            for (String a : route) {
                w.writeString(a);
            }
            w.writeData(id).writeUint(count != null ? count : attributes.length / 2);
            for (String s : attributes) {
                w.writeString(s);
            }
            return w.writeU64(expires).writeUint(uses).writeFixed(trailing).toByteArray();
        }

        byte[] ticket() {
            return encoding(bytes(), SIGNATURE);
        }
    }

    private static byte[] encoding(byte[] body, byte[] signature) {
        return new BareWriter().writeData(body).writeData(signature).toByteArray();
    }

    private static byte[] body(Map<String, String> attributes) throws CredentialException {
        return EnrollmentTicket.body(AUTHORITY, ROUTE, ID, attributes, EXPIRES, 3);
    }

    private static EnrollmentTicket ticket(Map<String, String> attributes) throws CredentialException {
        return EnrollmentTicket.of(body(attributes), SIGNATURE);
    }

    /** Asserts that {@code call} fails with a {@link CredentialException} of {@code kind} and exactly {@code message}. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refused(ErrorKind kind, String message, ThrowingCallable call) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessage(message);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> decodeRefused(String message, Consumer<Body> change) {
        byte[] bytes = Body.with(change).ticket();
        return refused(ErrorKind.INVALID, message, () -> EnrollmentTicket.decode(bytes));
    }

    private static String text(byte[] encoded) {
        return EnrollmentTicket.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(encoded);
    }

    // Round trips

    @Test
    void aTicketSurvivesBodyOfBytesAndTextWithEveryFieldAndItsAttributesSorted() throws Exception {
        Map<String, String> unsorted = new LinkedHashMap<>();
        unsorted.put("zone", "eu-west");
        unsorted.put("role", "web");
        unsorted.put("a_b-9", "élan ✓ 😀");
        byte[] body = EnrollmentTicket.body(AUTHORITY, ROUTE, ID, unsorted, EXPIRES, 7);

        EnrollmentTicket built = EnrollmentTicket.of(body, SIGNATURE);
        EnrollmentTicket decoded = EnrollmentTicket.decode(built.encoded());
        String text = decoded.toText();
        EnrollmentTicket parsed = EnrollmentTicket.parse(text);

        for (EnrollmentTicket t : new EnrollmentTicket[] {built, decoded, parsed}) {
            assertThat(t.body()).isEqualTo(body);
            assertThat(t.signature()).isEqualTo(SIGNATURE);
            assertThat(t.authority()).isEqualTo(AUTHORITY);
            assertThat(t.route()).isEqualTo(ROUTE);
            assertThat(t.route().addresses()).containsExactly(Address.tcp("10.0.0.1:4000"), Address.local("secure"));
            assertThat(t.id()).isEqualTo(ID);
            assertThat(t.attributes()).isEqualTo(unsorted);
            assertThat(t.attributes().keySet()).containsExactly("a_b-9", "role", "zone");
            assertThat(t.expiresAt()).isEqualTo(EXPIRES);
            assertThat(t.uses()).isEqualTo(7);
            assertThat(t.encoded()).isEqualTo(encoding(body, SIGNATURE));
        }
        assertThat(text).startsWith(EnrollmentTicket.TEXT_PREFIX).doesNotContain("=", "+", "/").isEqualTo(text(built.encoded()));
        assertThat(EnrollmentTicket.signedBytes(body))
                .isEqualTo(concat("hopseal/enrollment-ticket/1".getBytes(StandardCharsets.US_ASCII), body));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theBodyIsTheDocumentedEncodingWithNamesAscendingWhateverTheMapsOrder() throws Exception {
        Map<String, String> reversed = new TreeMap<>(Collections.reverseOrder());
        reversed.put("role", "web");
        reversed.put("env", "prod");

        assertThat(body(reversed)).isEqualTo(new Body().bytes());
        assertThat(body(Map.of())).isEqualTo(Body.with(b -> b.attributes = new String[0]).bytes());
    }

    @Test
    void theTextMayBeSurroundedByWhiteSpaceAndPadded() throws Exception {
        EnrollmentTicket t = ticket(Map.of("role", "web"));
        String padded = EnrollmentTicket.TEXT_PREFIX + Base64.getUrlEncoder().encodeToString(t.encoded());
        assertThat(padded).endsWith("=");

        assertThat(EnrollmentTicket.parse("  \n" + t.toText() + "\t\n").encoded()).isEqualTo(t.encoded());
        assertThat(EnrollmentTicket.parse(padded).encoded()).isEqualTo(t.encoded());
    }

    @Test
    void aTicketCannotBeChangedFromOutside() throws Exception {
        EnrollmentTicket t = ticket(Map.of("role", "web"));
        t.body()[0] = 9;
        t.signature()[0] = 9;
        t.id()[0] = 9;

        assertThat(t.body()).isEqualTo(body(Map.of("role", "web")));
        assertThat(t.signature()).isEqualTo(SIGNATURE);
        assertThat(t.id()).isEqualTo(ID);
        assertThatThrownBy(() -> t.attributes().put("role", "admin")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringNamesWhatTheTicketGrantsButNeverItsIdSignatureOrEncoding() throws Exception {
        EnrollmentTicket t = ticket(Map.of("role", "web"));

        assertThat(t.toString()).isEqualTo("EnrollmentTicket{{role=web} from " + AUTHORITY + " at " + ROUTE + " until " + EXPIRES
                + ", 3 use(s)}");
        String shown = t.toString().toLowerCase(Locale.ROOT);
        assertThat(shown).doesNotContain(HexFormat.of().formatHex(ID), HexFormat.of().formatHex(SIGNATURE),
                t.toText().substring(EnrollmentTicket.TEXT_PREFIX.length()).toLowerCase(Locale.ROOT),
                Base64.getEncoder().encodeToString(ID).toLowerCase(Locale.ROOT), Arrays.toString(ID));
    }

    @Test
    void theLimitsAreThoseDocumented() {
        assertThat(EnrollmentTicket.VERSION).isEqualTo(1);
        assertThat(EnrollmentTicket.MAX_ENCODED).isEqualTo(8 * 1024);
        assertThat(EnrollmentTicket.MAX_USES).isEqualTo(1000);
        assertThat(EnrollmentTicket.MAX_VALIDITY).isEqualTo(Duration.ofDays(30));
        assertThat(EnrollmentTicket.ID_BYTES).isEqualTo(16);
        assertThat(EnrollmentTicket.TEXT_PREFIX).isEqualTo("hopseal-ticket:");
    }

    // decode: the outer encoding

    @Test
    void anEncodingOfExactlyTheLimitIsDecodedAndOneByteMoreIsRefused() throws Exception {
        byte[] body = new Body().bytes();
        // data(body) | data(signature) with the signature's length in two bytes: 8 KiB in all.
        byte[] atLimit = encoding(body, new byte[EnrollmentTicket.MAX_ENCODED - BareWriter.uintSize(body.length) - body.length - 2]);
        byte[] overLimit = encoding(body, new byte[EnrollmentTicket.MAX_ENCODED - BareWriter.uintSize(body.length) - body.length - 1]);
        assertThat(atLimit).hasSize(EnrollmentTicket.MAX_ENCODED);
        assertThat(overLimit).hasSize(EnrollmentTicket.MAX_ENCODED + 1);

        assertThat(EnrollmentTicket.decode(atLimit).attributes()).containsEntry("role", "web");
        refused(ErrorKind.INVALID, "a ticket of 8193 bytes exceeds the limit of 8192", () -> EnrollmentTicket.decode(overLimit));
    }

    @Test
    void trailingBytesAfterTheSignatureAreRefused() {
        byte[] good = new Body().ticket();
        byte[] longer = Arrays.copyOf(good, good.length + 1);

        refused(ErrorKind.INVALID, "malformed ticket: ticket has 1 trailing bytes", () -> EnrollmentTicket.decode(longer))
                .hasCauseInstanceOf(DecodeException.class);
    }

    @Test
    void aTruncatedEncodingOrBodyIsRefused() {
        byte[] good = new Body().ticket();
        byte[] body = new Body().bytes();

        refused(ErrorKind.INVALID, "malformed ticket: data length 64 exceeds the 63 bytes that remain",
                () -> EnrollmentTicket.decode(Arrays.copyOf(good, good.length - 1))).hasCauseInstanceOf(DecodeException.class);
        refused(ErrorKind.INVALID, "malformed ticket: truncated input: u8 needs 1 bytes, 0 remain", () -> EnrollmentTicket.decode(new byte[0]));
        refused(ErrorKind.INVALID, "malformed ticket: truncated input: u64 needs 8 bytes, 7 remain",
                () -> EnrollmentTicket.decode(encoding(Arrays.copyOf(body, body.length - 2), SIGNATURE)));
    }

    // decode: the body

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 255})
    void anotherVersionIsUnsupported(int version) {
        byte[] bytes = Body.with(b -> b.version = version).ticket();

        refused(ErrorKind.UNSUPPORTED, "unsupported ticket version " + version, () -> EnrollmentTicket.decode(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "I", "Iab", "J" + "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1",
            "I" + "A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1"})
    void anAuthorityThatIsNoIdentifierIsRefused(String notAnIdentifier) {
        decodeRefused("the ticket's authority is not an identifier", b -> b.authority = notAnIdentifier);
    }

    @Test
    void aRouteOfOneToThirtyTwoAddressesIsDecodedAndNoneOrThirtyThreeRefused() throws Exception {
        String[] thirtyTwo = hops(32);

        assertThat(EnrollmentTicket.decode(Body.with(b -> b.route = new String[] {"secure"}).ticket()).route()).isEqualTo(Route.of("secure"));
        assertThat(EnrollmentTicket.decode(Body.with(b -> b.route = thirtyTwo).ticket()).route()).isEqualTo(Route.of(thirtyTwo));
        decodeRefused("the ticket has no route to its authority", b -> b.route = new String[0]);
        decodeRefused("malformed ticket: route length 33 is out of range (at most 32)", b -> b.route = hops(33));
        decodeRefused("malformed ticket: route length 18446744073709551615 is out of range (at most 32)", b -> b.hops = -1L);
    }

    private static String[] hops(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "hop" + i;
        }
        return out;
    }

    @Test
    void aRouteWithAnInvalidAddressIsRefused() {
        decodeRefused("the ticket's route holds an invalid address: transport type must be 0..255, was 256",
                b -> b.route = new String[] {"secure", "256#10.0.0.1:4000"});
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 15, 17, 32})
    void anIdThatIsNot16BytesIsRefused(int length) {
        decodeRefused("a ticket id is 16 bytes, not " + length, b -> b.id = new byte[length]);
    }

    @Test
    void sixtyFourAttributesAreDecodedAndSixtyFiveRefused() throws Exception {
        byte[] sixtyFour = Body.with(b -> b.attributes = attributes(64)).ticket();

        assertThat(EnrollmentTicket.decode(sixtyFour).attributes()).hasSize(64).containsEntry("n00", "v0").containsEntry("n63", "v63");
        decodeRefused("malformed ticket: attributes 65 is out of range (at most 64)", b -> b.attributes = attributes(65));
    }

    /** {@code n} attributes {@code n00=v0, n01=v1, ...}, in ascending order. */
    private static String[] attributes(int n) {
        String[] out = new String[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = String.format("n%02d", i);
            out[2 * i + 1] = "v" + i;
        }
        return out;
    }

    @Test
    void unsortedOrRepeatedNamesAreRefused() {
        String message = "the ticket's attribute names are not in strictly ascending order";
        decodeRefused(message, b -> b.attributes = new String[] {"role", "web", "env", "prod"});
        decodeRefused(message, b -> b.attributes = new String[] {"role", "web", "role", "web"});
        decodeRefused(message, b -> b.attributes = new String[] {"role", "web", "role", "db"});
    }

    @Test
    void namesAndValuesOutsideTheRulesAreRefused() {
        decodeRefused("'identifier'" + NAME_ERROR, b -> b.attributes = new String[] {"identifier", "I00"});
        decodeRefused("'Role'" + NAME_ERROR, b -> b.attributes = new String[] {"Role", "web"});
        decodeRefused("the value of attribute 'role' exceeds 256 bytes", b -> b.attributes = new String[] {"role", "x".repeat(257)});
        decodeRefused("the value of attribute 'role' contains a control character", b -> b.attributes = new String[] {"role", "web\n"});
    }

    @Test
    void oneToAThousandUsesAreDecodedAndNoneOrMoreRefused() throws Exception {
        assertThat(EnrollmentTicket.decode(Body.with(b -> b.uses = 1).ticket()).uses()).isEqualTo(1);
        assertThat(EnrollmentTicket.decode(Body.with(b -> b.uses = 1000).ticket()).uses()).isEqualTo(1000);
        decodeRefused("a ticket allows at least one use", b -> b.uses = 0);
        decodeRefused("malformed ticket: uses 1001 is out of range (at most 1000)", b -> b.uses = 1001);
    }

    @Test
    void expiriesFromTheEpochToInstantMaxAreDecodedAndLaterOnesRefused() throws Exception {
        long max = Instant.MAX.getEpochSecond();

        assertThat(EnrollmentTicket.decode(Body.with(b -> b.expires = 0).ticket()).expiresAt()).isEqualTo(Instant.EPOCH);
        assertThat(EnrollmentTicket.decode(Body.with(b -> b.expires = max).ticket()).expiresAt()).isEqualTo(Instant.ofEpochSecond(max));
        decodeRefused("the ticket's expiry is out of range", b -> b.expires = max + 1);
        decodeRefused("the ticket's expiry is out of range", b -> b.expires = -1);
        decodeRefused("the ticket's expiry is out of range", b -> b.expires = Long.MIN_VALUE);
    }

    @Test
    void trailingBytesInTheBodyAreRefused() {
        decodeRefused("malformed ticket: ticket body has 2 trailing bytes", b -> b.trailing = new byte[2])
                .hasCauseInstanceOf(DecodeException.class);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bytes = new BareWriter().writeU8(EnrollmentTicket.VERSION).writeData(new byte[] {(byte) 0xc3, 0x28}).toByteArray();

        refused(ErrorKind.INVALID, "malformed ticket: string is not valid UTF-8", () -> EnrollmentTicket.decode(encoding(bytes, SIGNATURE)));
    }

    // parse

    @Test
    void textWithoutThePrefixIsRefused() throws Exception {
        String text = ticket(Map.of("role", "web")).toText();

        refused(ErrorKind.INVALID, "a ticket's text starts with 'hopseal-ticket:'",
                () -> EnrollmentTicket.parse(text.substring(EnrollmentTicket.TEXT_PREFIX.length())));
        refused(ErrorKind.INVALID, "a ticket's text starts with 'hopseal-ticket:'",
                () -> EnrollmentTicket.parse(text.replace("hopseal-ticket:", "hopseal-credential:")));
        refused(ErrorKind.INVALID, "a ticket's text starts with 'hopseal-ticket:'", () -> EnrollmentTicket.parse(""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ab.c|Illegal base64 character 2e",
            "ab+/|Illegal base64 character 2b",
            "'ab cd'|Illegal base64 character 20",
            "abcde|Last unit does not have enough valid bits"})
    void textThatIsNotBase64urlIsRefusedNamingTheFault(String notBase64url, String fault) {
        refused(ErrorKind.INVALID, "the ticket text is not base64url: " + fault,
                () -> EnrollmentTicket.parse(EnrollmentTicket.TEXT_PREFIX + notBase64url));
    }

    @Test
    void textOfBytesThatAreNoTicketIsRefusedAsTheBytesAre() {
        refused(ErrorKind.UNSUPPORTED, "unsupported ticket version 2",
                () -> EnrollmentTicket.parse(text(Body.with(b -> b.version = 2).ticket())));
        refused(ErrorKind.INVALID, "malformed ticket: truncated input: u8 needs 1 bytes, 0 remain",
                () -> EnrollmentTicket.parse(EnrollmentTicket.TEXT_PREFIX));
    }

    @Test
    void textLongerThanAnyTicketIsRefusedBeforeItIsDecoded() {
        // 8 KiB in base64 is 10923 characters: 10926 are still decoded (and so fail as too many bytes), 10927 are not.
        refused(ErrorKind.INVALID, "a ticket of 8194 bytes exceeds the limit of 8192",
                () -> EnrollmentTicket.parse(EnrollmentTicket.TEXT_PREFIX + "A".repeat(10926)));
        refused(ErrorKind.INVALID, "the ticket text is longer than any ticket",
                () -> EnrollmentTicket.parse(EnrollmentTicket.TEXT_PREFIX + "A".repeat(10927)));
    }

    // body

    @Test
    void bodyRefusesAnEmptyRoute() {
        refused(ErrorKind.INVALID, "a ticket needs the route to the authority's listener",
                () -> EnrollmentTicket.body(AUTHORITY, Route.empty(), ID, Map.of(), EXPIRES, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 15, 17})
    void bodyRefusesAnIdThatIsNot16Bytes(int length) {
        refused(ErrorKind.INVALID, "a ticket id is 16 bytes",
                () -> EnrollmentTicket.body(AUTHORITY, ROUTE, new byte[length], Map.of(), EXPIRES, 1));
    }

    @Test
    void bodyTakesOneToAThousandUsesAndRefusesOthers() throws Exception {
        assertThat(EnrollmentTicket.of(EnrollmentTicket.body(AUTHORITY, ROUTE, ID, Map.of(), EXPIRES, 1), SIGNATURE).uses()).isEqualTo(1);
        assertThat(EnrollmentTicket.of(EnrollmentTicket.body(AUTHORITY, ROUTE, ID, Map.of(), EXPIRES, 1000), SIGNATURE).uses()).isEqualTo(1000);
        for (int uses : new int[] {0, -1, 1001, Integer.MIN_VALUE}) {
            refused(ErrorKind.INVALID, "a ticket allows 1 to 1000 uses, not " + uses,
                    () -> EnrollmentTicket.body(AUTHORITY, ROUTE, ID, Map.of(), EXPIRES, uses));
        }
    }

    @Test
    void bodyRefusesSixtyFiveAttributesAndAcceptsSixtyFour() throws Exception {
        Map<String, String> attributes = new TreeMap<>();
        for (int i = 0; i < 64; i++) {
            attributes.put(String.format("n%02d", i), "v" + i);
        }
        assertThat(EnrollmentTicket.of(body(attributes), SIGNATURE).attributes()).hasSize(64);

        attributes.put("n64", "v64");
        refused(ErrorKind.INVALID, "a ticket carries at most 64 attributes", () -> body(attributes));
    }

    @Test
    void bodyRefusesAttributesOutsideTheRules() {
        refused(ErrorKind.INVALID, "'identifier'" + NAME_ERROR, () -> body(Map.of("identifier", "x")));
        refused(ErrorKind.INVALID, "'Role'" + NAME_ERROR, () -> body(Map.of("Role", "x")));
        refused(ErrorKind.INVALID, "the value of attribute 'role' exceeds 256 bytes", () -> body(Map.of("role", "x".repeat(257))));
        refused(ErrorKind.INVALID, "the value of attribute 'role' contains a control character", () -> body(Map.of("role", "\u0000")));
        refused(ErrorKind.INVALID, "the value of attribute 'role' is not well-formed Unicode", () -> body(Map.of("role", "\uD800")));
    }

    @Test
    void bodyRefusesWhatWouldMakeTheTicketExceedTheLimit() throws Exception {
        // 97 bytes besides one address of 7967 bytes (two-byte length): 8064, which leaves 128 for the signature.
        Route longest = Route.of("x".repeat(7967));
        byte[] largest = EnrollmentTicket.body(AUTHORITY, longest, ID, Map.of(), EXPIRES, 1);
        assertThat(largest).hasSize(EnrollmentTicket.MAX_ENCODED - 128);
        assertThat(EnrollmentTicket.of(largest, SIGNATURE).route()).isEqualTo(longest);

        refused(ErrorKind.INVALID, "the ticket would exceed 8192 bytes",
                () -> EnrollmentTicket.body(AUTHORITY, Route.of("x".repeat(7968)), ID, Map.of(), EXPIRES, 1));
    }

    @Test
    void bodyKeepsTheExpirysWholeSeconds() throws Exception {
        byte[] body = EnrollmentTicket.body(AUTHORITY, ROUTE, ID, Map.of(), EXPIRES.plusMillis(900), 1);

        assertThat(EnrollmentTicket.of(body, SIGNATURE).expiresAt()).isEqualTo(EXPIRES);
    }

    @Test
    void bodyWritesARouteOfThirtyTwoAddressesAndRefusesALongerOneRatherThanWriteABodyThatDecodeRefuses() throws Exception {
        List<Address> addresses = new ArrayList<>();
        for (String hop : hops(32)) {
            addresses.add(Address.of(hop));
        }
        Route thirtyTwo = Route.of(addresses);
        addresses.add(Address.of("hop32"));
        Route thirtyThree = Route.of(addresses);

        assertThat(EnrollmentTicket.of(EnrollmentTicket.body(AUTHORITY, thirtyTwo, ID, Map.of(), EXPIRES, 1), SIGNATURE).route())
                .isEqualTo(thirtyTwo);
        refused(ErrorKind.INVALID, "a ticket's route has at most 32 addresses, not 33",
                () -> EnrollmentTicket.body(AUTHORITY, thirtyThree, ID, Map.of(), EXPIRES, 1));
    }

    @Test
    void bodyRefusesAnExpiryBefore1970RatherThanWriteABodyThatDecodeRefuses() throws Exception {
        // The encoding keeps whole seconds from 1970 as a u64.
        assertThat(EnrollmentTicket.of(EnrollmentTicket.body(AUTHORITY, ROUTE, ID, Map.of(), Instant.EPOCH, 1), SIGNATURE).expiresAt())
                .isEqualTo(Instant.EPOCH);
        refused(ErrorKind.INVALID, "a ticket's expiry is from 1970 on",
                () -> EnrollmentTicket.body(AUTHORITY, ROUTE, ID, Map.of(), Instant.EPOCH.minusMillis(1), 1));
    }
}
