package org.hopseal.api.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.identity.Identifier;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The credential's encoding on its own (no signature is checked here): what survives a round trip through bytes and
 * text, and every input that {@link Credential#decode}, {@link Credential#parse}, {@link Credential#body} and
 * {@link Credential#checkAttribute} refuse, with its kind and message. Bodies that {@code body} would never write are
 * built by hand with {@link BareWriter}.
 */
class CredentialTest {
    private static final Identifier AUTHORITY = new Identifier("I" + "a1".repeat(32));
    private static final Identifier SUBJECT = new Identifier("I" + "b2".repeat(32));
    private static final byte[] HISTORY = {1, 1, 5, 6, 7};
    private static final byte[] HEAD = filled(32, 0x33);
    private static final byte[] SIGNATURE = filled(64, 0x5a);
    private static final Instant ISSUED = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant EXPIRES = ISSUED.plusSeconds(3600);
    private static final String NAME_ERROR = " is not an attribute name: use a lower-case letter, then up to 63 lower-case"
            + " letters, digits, '_' or '-' (and not 'identifier')";

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** A body in the credential format with every field chosen; {@code attributes} are written in the order given. */
    private static final class Body {
        int version = Credential.VERSION;
        String authority = AUTHORITY.value();
        byte[] history = HISTORY;
        String subject = SUBJECT.value();
        byte[] head = HEAD;
        Long count;
        String[] attributes = {"env", "prod", "role", "web"};
        long issued = ISSUED.getEpochSecond();
        long expires = EXPIRES.getEpochSecond();
        byte[] trailing = {};

        static Body with(Consumer<Body> change) {
            Body b = new Body();
            change.accept(b);
            return b;
        }

        byte[] bytes() {
            BareWriter w = new BareWriter().writeU8(version).writeString(authority).writeData(history).writeString(subject)
                    .writeData(head).writeUint(count != null ? count : attributes.length / 2);
            for (String s : attributes) {
                w.writeString(s);
            }
            return w.writeU64(issued).writeU64(expires).writeFixed(trailing).toByteArray();
        }

        byte[] credential() {
            return encoding(bytes(), SIGNATURE);
        }
    }

    private static byte[] encoding(byte[] body, byte[] signature) {
        return new BareWriter().writeData(body).writeData(signature).toByteArray();
    }

    private static byte[] body(Map<String, String> attributes) throws CredentialException {
        return Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, attributes, ISSUED, EXPIRES);
    }

    private static Credential credential(Map<String, String> attributes) throws CredentialException {
        return Credential.of(body(attributes), SIGNATURE);
    }

    /** Asserts that {@code call} fails with a {@link CredentialException} of {@code kind} and exactly {@code message}. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refused(ErrorKind kind, String message, ThrowingCallable call) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(CredentialException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessage(message);
    }

    private static void decodeRefused(String message, Consumer<Body> change) {
        byte[] bytes = Body.with(change).credential();
        refused(ErrorKind.INVALID, message, () -> Credential.decode(bytes));
    }

    /** A string of {@code n} UTF-8 bytes: as many {@code unit}s as fit, then ASCII. */
    private static String utf8Bytes(int n, String unit) {
        int each = unit.getBytes(StandardCharsets.UTF_8).length;
        String s = unit.repeat(n / each) + "x".repeat(n % each);
        assertThat(s.getBytes(StandardCharsets.UTF_8)).hasSize(n);
        return s;
    }

    // Round trips

    @Test
    void aCredentialSurvivesBytesAndTextWithEveryFieldAndItsAttributesSorted() throws Exception {
        Map<String, String> unsorted = new LinkedHashMap<>();
        unsorted.put("zone", "eu-west");
        unsorted.put("role", "web");
        unsorted.put("env", "prod");
        unsorted.put("a_b-9", "élan ✓ 😀");
        byte[] body = Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, unsorted, ISSUED, EXPIRES);

        Credential built = Credential.of(body, SIGNATURE);
        Credential decoded = Credential.decode(built.encoded());
        String text = decoded.toText();
        Credential parsed = Credential.parse(text);

        for (Credential c : new Credential[] {built, decoded, parsed}) {
            assertThat(c.body()).isEqualTo(body);
            assertThat(c.signature()).isEqualTo(SIGNATURE);
            assertThat(c.authority()).isEqualTo(AUTHORITY);
            assertThat(c.authorityHistory()).isEqualTo(HISTORY);
            assertThat(c.subject()).isEqualTo(SUBJECT);
            assertThat(c.subjectHead()).isEqualTo(HEAD);
            assertThat(c.issuedAt()).isEqualTo(ISSUED);
            assertThat(c.expiresAt()).isEqualTo(EXPIRES);
            assertThat(c.attributes()).isEqualTo(unsorted);
            assertThat(c.attributes().keySet()).containsExactly("a_b-9", "env", "role", "zone");
            assertThat(c.encoded()).isEqualTo(encoding(body, SIGNATURE));
            assertThat(c).isEqualTo(built).hasSameHashCodeAs(built);
        }
        assertThat(text).startsWith(Credential.TEXT_PREFIX).doesNotContain("=", "+", "/")
                .isEqualTo(Credential.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(built.encoded()));
        assertThat(Credential.signedBytes(body)).isEqualTo(concat("hopseal/credential/1".getBytes(StandardCharsets.US_ASCII), body));
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
        Credential c = credential(Map.of("role", "web"));
        String padded = Credential.TEXT_PREFIX + Base64.getUrlEncoder().encodeToString(c.encoded());

        assertThat(Credential.parse("  \n" + c.toText() + "\t\n")).isEqualTo(c);
        assertThat(Credential.parse(padded)).isEqualTo(c);
    }

    @Test
    void aCredentialIsAValueThatCannotBeChangedFromOutside() throws Exception {
        Credential c = credential(Map.of("role", "web"));
        c.body()[0] = 9;
        c.signature()[0] = 9;
        c.authorityHistory()[0] = 9;
        c.subjectHead()[0] = 9;

        assertThat(c.body()).isEqualTo(body(Map.of("role", "web")));
        assertThat(c.signature()).isEqualTo(SIGNATURE);
        assertThat(c.authorityHistory()).isEqualTo(HISTORY);
        assertThat(c.subjectHead()).isEqualTo(HEAD);
        assertThatThrownBy(() -> c.attributes().put("role", "db")).isInstanceOf(UnsupportedOperationException.class);
        byte[] otherSignature = SIGNATURE.clone();
        otherSignature[63] ^= 1;
        assertThat(c).isNotEqualTo(Credential.of(c.body(), otherSignature))
                .isNotEqualTo(credential(Map.of("role", "db"))).isNotEqualTo(c.toText());
        // Fixed inputs: credentials that differ hash apart (a constant hash would still be legal, but useless).
        assertThat(c.hashCode()).isNotEqualTo(credential(Map.of("role", "db")).hashCode());
        assertThat(c.toString()).isEqualTo("Credential{" + SUBJECT + " {role=web} by " + AUTHORITY + " until " + EXPIRES + "}");
    }

    @Test
    void theLimitsAreThoseDocumented() {
        assertThat(Credential.VERSION).isEqualTo(1);
        assertThat(Credential.MAX_ENCODED).isEqualTo(16 * 1024);
        assertThat(Credential.MAX_ATTRIBUTES).isEqualTo(64);
        assertThat(Credential.MAX_VALUE_BYTES).isEqualTo(256);
    }

    // decode: the outer encoding

    @Test
    void anEncodingOfExactlyTheLimitIsDecodedAndOneByteMoreIsRefused() throws Exception {
        byte[] body = new Body().bytes();
        // data(body) | data(signature) with the signature's length in two bytes: 16 KiB in all.
        byte[] atLimit = encoding(body, new byte[Credential.MAX_ENCODED - BareWriter.uintSize(body.length) - body.length - 2]);
        byte[] overLimit = encoding(body, new byte[Credential.MAX_ENCODED - BareWriter.uintSize(body.length) - body.length - 1]);
        assertThat(atLimit).hasSize(Credential.MAX_ENCODED);
        assertThat(overLimit).hasSize(Credential.MAX_ENCODED + 1);

        assertThat(Credential.decode(atLimit).attributes()).containsEntry("role", "web");
        refused(ErrorKind.INVALID, "a credential of 16385 bytes exceeds the limit of 16384", () -> Credential.decode(overLimit));
    }

    @Test
    void trailingBytesAfterTheSignatureAreRefused() {
        byte[] good = new Body().credential();
        byte[] longer = Arrays.copyOf(good, good.length + 1);

        refused(ErrorKind.INVALID, "malformed credential: credential has 1 trailing bytes", () -> Credential.decode(longer))
                .hasCauseInstanceOf(DecodeException.class);
    }

    @Test
    void aTruncatedEncodingIsRefused() {
        byte[] good = new Body().credential();
        byte[] cut = Arrays.copyOf(good, good.length - 1);

        refused(ErrorKind.INVALID, "malformed credential: data length 64 exceeds the 63 bytes that remain",
                () -> Credential.decode(cut)).hasCauseInstanceOf(DecodeException.class);
        refused(ErrorKind.INVALID, "malformed credential: truncated input: u8 needs 1 bytes, 0 remain",
                () -> Credential.decode(new byte[0]));
        refused(ErrorKind.INVALID, "malformed credential: truncated input: u8 needs 1 bytes, 0 remain",
                () -> Credential.decode(encoding(new byte[0], SIGNATURE)));
    }

    // decode: the body

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 255})
    void anotherVersionIsUnsupported(int version) {
        byte[] bytes = Body.with(b -> b.version = version).credential();

        refused(ErrorKind.UNSUPPORTED, "unsupported credential version " + version, () -> Credential.decode(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "I", "Iab", "J" + "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1",
            "I" + "A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1"})
    void anAuthorityOrSubjectThatIsNoIdentifierIsRefused(String notAnIdentifier) {
        decodeRefused("the credential's authority is not an identifier", b -> b.authority = notAnIdentifier);
        decodeRefused("the credential's subject is not an identifier", b -> b.subject = notAnIdentifier);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 64})
    void aSubjectHeadThatIsNot32BytesIsRefused(int length) {
        decodeRefused("a subject head is 32 bytes, not " + length, b -> b.head = new byte[length]);
    }

    @Test
    void sixtyFourAttributesAreDecodedAndSixtyFiveRefused() throws Exception {
        byte[] sixtyFour = Body.with(b -> b.attributes = attributes(64)).credential();

        assertThat(Credential.decode(sixtyFour).attributes()).hasSize(64).containsEntry("n00", "v0").containsEntry("n63", "v63");
        decodeRefused("malformed credential: attributes 65 is out of range (at most 64)", b -> b.attributes = attributes(65));
        decodeRefused("malformed credential: attributes 18446744073709551614 is out of range (at most 64)", b -> b.count = -2L);
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
        decodeRefused("attribute names are not in strictly ascending order at 'env'", b -> b.attributes = new String[] {"role", "web", "env", "prod"});
        decodeRefused("attribute names are not in strictly ascending order at 'role'", b -> b.attributes = new String[] {"role", "web", "role", "web"});
        decodeRefused("attribute names are not in strictly ascending order at 'role'", b -> b.attributes = new String[] {"role", "web", "role", "db"});
        decodeRefused("attribute names are not in strictly ascending order at 'a?b'",
                b -> b.attributes = new String[] {"role", "web", "a\u0007b", "x"});
    }

    @Test
    void namesAndValuesOutsideTheRulesAreRefused() {
        decodeRefused("'identifier'" + NAME_ERROR, b -> b.attributes = new String[] {"identifier", "I00"});
        decodeRefused("'Role'" + NAME_ERROR, b -> b.attributes = new String[] {"Role", "web"});
        decodeRefused("'" + "a".repeat(64) + "…'" + NAME_ERROR, b -> b.attributes = new String[] {"a".repeat(65), "x"});
        decodeRefused("the value of attribute 'role' exceeds 256 bytes", b -> b.attributes = new String[] {"role", "é".repeat(128) + "x"});
        decodeRefused("the value of attribute 'role' contains a control character", b -> b.attributes = new String[] {"role", "web\n"});
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bytes = new BareWriter().writeU8(Credential.VERSION).writeString(AUTHORITY.value()).writeData(HISTORY)
                .writeString(SUBJECT.value()).writeData(HEAD).writeUint(1).writeString("role").writeData(new byte[] {(byte) 0xc3, 0x28})
                .writeU64(ISSUED.getEpochSecond()).writeU64(EXPIRES.getEpochSecond()).toByteArray();

        refused(ErrorKind.INVALID, "malformed credential: string is not valid UTF-8", () -> Credential.decode(encoding(bytes, SIGNATURE)));
    }

    @Test
    void anExpiryNotAfterTheIssueTimeIsRefused() {
        decodeRefused("the credential expires (2026-03-01T12:00:00Z) before it is issued (2026-03-01T12:00:00Z)",
                b -> b.expires = b.issued);
        decodeRefused("the credential expires (2026-03-01T11:59:59Z) before it is issued (2026-03-01T12:00:00Z)",
                b -> b.expires = b.issued - 1);
    }

    @Test
    void timesFromTheEpochToInstantMaxAreDecodedAndLaterOnesRefused() throws Exception {
        long max = Instant.MAX.getEpochSecond();
        Credential widest = Credential.decode(Body.with(b -> {
            b.issued = 0;
            b.expires = max;
        }).credential());

        assertThat(widest.issuedAt()).isEqualTo(Instant.EPOCH);
        assertThat(widest.expiresAt()).isEqualTo(Instant.ofEpochSecond(max));
        decodeRefused("the credential's expiry 31556889864403200 is out of range", b -> b.expires = max + 1);
        decodeRefused("the credential's issue time 31556889864403200 is out of range", b -> b.issued = max + 1);
        decodeRefused("the credential's issue time 9223372036854775808 is out of range", b -> b.issued = Long.MIN_VALUE);
        decodeRefused("the credential's expiry 18446744073709551615 is out of range", b -> b.expires = -1);
    }

    @Test
    void trailingBytesInTheBodyAreRefused() {
        decodeRefused("malformed credential: credential body has 2 trailing bytes", b -> b.trailing = new byte[2]);
    }

    @Test
    void aTruncatedBodyIsRefused() {
        byte[] body = new Body().bytes();
        byte[] cut = Arrays.copyOf(body, body.length - 1);

        refused(ErrorKind.INVALID, "malformed credential: truncated input: u64 needs 8 bytes, 7 remain",
                () -> Credential.decode(encoding(cut, SIGNATURE)));
    }

    // parse

    @Test
    void textWithoutThePrefixIsRefused() throws Exception {
        String text = credential(Map.of("role", "web")).toText();

        refused(ErrorKind.INVALID, "a credential's text starts with 'hopseal-credential:'",
                () -> Credential.parse(text.substring(Credential.TEXT_PREFIX.length())));
        refused(ErrorKind.INVALID, "a credential's text starts with 'hopseal-credential:'",
                () -> Credential.parse(text.replace("hopseal-credential:", "Hopseal-Credential:")));
        refused(ErrorKind.INVALID, "a credential's text starts with 'hopseal-credential:'", () -> Credential.parse(""));
    }

    @Test
    void textThatIsNotBase64urlIsRefused() throws Exception {
        String text = credential(Map.of("role", "web")).toText();

        refused(ErrorKind.INVALID, "the credential text is not base64url: Illegal base64 character 2e",
                () -> Credential.parse(text + "."));
        refused(ErrorKind.INVALID, "the credential text is not base64url: Illegal base64 character 2b",
                () -> Credential.parse(Credential.TEXT_PREFIX + "ab+/"));
        refused(ErrorKind.INVALID, "the credential text is not base64url: Illegal base64 character 20",
                () -> Credential.parse(Credential.TEXT_PREFIX + "ab cd"));
        refused(ErrorKind.INVALID, "the credential text is not base64url: Last unit does not have enough valid bits",
                () -> Credential.parse(Credential.TEXT_PREFIX + "abcde"));
    }

    @Test
    void textOfBytesThatAreNoCredentialIsRefusedAsTheBytesAre() {
        byte[] bytes = Body.with(b -> b.version = 2).credential();

        refused(ErrorKind.UNSUPPORTED, "unsupported credential version 2",
                () -> Credential.parse(Credential.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
        refused(ErrorKind.INVALID, "malformed credential: truncated input: u8 needs 1 bytes, 0 remain",
                () -> Credential.parse(Credential.TEXT_PREFIX));
    }

    @Test
    void textLongerThanAnyCredentialIsRefusedBeforeItIsDecoded() {
        // 16 KiB in base64 is 21846 characters: 21849 are still decoded (and so fail as base64), 21850 are not.
        String decodedFirst = Credential.TEXT_PREFIX + "A".repeat(21849);
        String tooLong = Credential.TEXT_PREFIX + "A".repeat(21850);
        String overLimitBytes = Credential.TEXT_PREFIX + "A".repeat(21848);

        refused(ErrorKind.INVALID, "the credential text is not base64url: Last unit does not have enough valid bits",
                () -> Credential.parse(decodedFirst));
        refused(ErrorKind.INVALID, "the credential text is longer than any credential", () -> Credential.parse(tooLong));
        refused(ErrorKind.INVALID, "a credential of 16386 bytes exceeds the limit of 16384", () -> Credential.parse(overLimitBytes));
    }

    // body

    @Test
    void bodyRefusesSixtyFiveAttributesAndAcceptsSixtyFour() throws Exception {
        Map<String, String> attributes = new TreeMap<>();
        for (int i = 0; i < 64; i++) {
            attributes.put(String.format("n%02d", i), "v" + i);
        }
        assertThat(Credential.of(body(attributes), SIGNATURE).attributes()).hasSize(64);

        attributes.put("n64", "v64");
        refused(ErrorKind.INVALID, "a credential carries at most 64 attributes, not 65", () -> body(attributes));
    }

    @Test
    void bodyRefusesAHeadThatIsNot32Bytes() {
        refused(ErrorKind.INVALID, "a subject head is 32 bytes, not 31",
                () -> Credential.body(AUTHORITY, HISTORY, SUBJECT, new byte[31], Map.of(), ISSUED, EXPIRES));
        refused(ErrorKind.INVALID, "a subject head is 32 bytes, not 33",
                () -> Credential.body(AUTHORITY, HISTORY, SUBJECT, new byte[33], Map.of(), ISSUED, EXPIRES));
    }

    @Test
    void bodyRefusesAnExpiryNotAfterTheIssueTime() throws Exception {
        refused(ErrorKind.INVALID, "a credential must expire after it is issued",
                () -> Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, Map.of(), ISSUED, ISSUED));
        refused(ErrorKind.INVALID, "a credential must expire after it is issued",
                () -> Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, Map.of(), ISSUED, ISSUED.minusSeconds(1)));
        byte[] oneSecond = Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, Map.of(), ISSUED, ISSUED.plusSeconds(1));
        assertThat(Credential.of(oneSecond, SIGNATURE).expiresAt()).isEqualTo(ISSUED.plusSeconds(1));
    }

    @Test
    void bodyRefusesTimesItCannotEncodeRatherThanWriteABodyThatDecodeRefuses() {
        // The encoding has whole seconds from 1970: half a second of validity would be none, 1969 out of range.
        refused(ErrorKind.INVALID, "a credential must expire after it is issued",
                () -> Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, Map.of(), ISSUED, ISSUED.plusMillis(500)));
        refused(ErrorKind.INVALID, "a credential must expire after it is issued",
                () -> Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, Map.of(), ISSUED.plusMillis(100), ISSUED.plusMillis(900)));
        refused(ErrorKind.INVALID, "a credential's times are from 1970 on",
                () -> Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, Map.of(), Instant.EPOCH.minusSeconds(1), EXPIRES));
    }

    @Test
    void bodyWithSubSecondTimesKeepsTheirWholeSeconds() throws Exception {
        byte[] body = Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, Map.of(), ISSUED.plusMillis(900), ISSUED.plusMillis(1100));

        Credential c = Credential.of(body, SIGNATURE);
        assertThat(c.issuedAt()).isEqualTo(ISSUED);
        assertThat(c.expiresAt()).isEqualTo(ISSUED.plusSeconds(1));
        assertThat(Credential.of(Credential.body(AUTHORITY, HISTORY, SUBJECT, HEAD, Map.of(), Instant.EPOCH, EXPIRES), SIGNATURE)
                .issuedAt()).isEqualTo(Instant.EPOCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "web\uDC00", "\uDC00\uD800"})
    void aValueThatIsNotWellFormedUnicodeIsRefusedRatherThanEncodedAsQuestionMarks(String value) {
        refused(ErrorKind.INVALID, "the value of attribute 'role' is not well-formed Unicode", () -> Credential.checkAttribute("role", value));
        refused(ErrorKind.INVALID, "the value of attribute 'role' is not well-formed Unicode", () -> body(Map.of("role", value)));
    }

    @Test
    void bodyRefusesAttributesOutsideTheRules() {
        refused(ErrorKind.INVALID, "'identifier'" + NAME_ERROR, () -> body(Map.of("identifier", "x")));
        refused(ErrorKind.INVALID, "the value of attribute 'role' exceeds 256 bytes", () -> body(Map.of("role", "x".repeat(257))));
        refused(ErrorKind.INVALID, "the value of attribute 'role' contains a control character", () -> body(Map.of("role", "\u0000")));
    }

    @Test
    void bodyRefusesWhatWouldMakeTheCredentialExceedTheLimit() throws Exception {
        // 185 bytes besides a history of 16071 bytes (two-byte length): 16256, which leaves 128 for the signature.
        byte[] largest = Credential.body(AUTHORITY, new byte[16071], SUBJECT, HEAD, Map.of(), ISSUED, EXPIRES);
        assertThat(largest).hasSize(Credential.MAX_ENCODED - 128);
        assertThat(Credential.of(largest, SIGNATURE).authorityHistory()).hasSize(16071);

        refused(ErrorKind.INVALID, "the credential would exceed 16384 bytes",
                () -> Credential.body(AUTHORITY, new byte[16072], SUBJECT, HEAD, Map.of(), ISSUED, EXPIRES));
        // 64 attributes of the longest name and value do not fit either.
        Map<String, String> largestAttributes = new TreeMap<>();
        for (int i = 0; i < 64; i++) {
            largestAttributes.put(String.format("n%02d", i) + "x".repeat(61), "v".repeat(256));
        }
        refused(ErrorKind.INVALID, "the credential would exceed 16384 bytes", () -> body(largestAttributes));
    }

    // checkAttribute

    @ParameterizedTest
    @ValueSource(strings = {"a", "role", "env-2", "a_b-c9", "identifiers", "identifie", "z0123456789_-",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"})
    void namesWithinTheRulesAreAccepted(String name) throws Exception {
        Credential.checkAttribute(name, "v");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "identifier", "Role", "rOle", "ROLE", "1a", "_a", "-a", "a.b", "a b", "a:b", "é", "role\n"})
    void namesOutsideTheRulesAreRefused(String name) {
        String shown = name.replace('\n', '?');
        refused(ErrorKind.INVALID, "'" + shown + "'" + NAME_ERROR, () -> Credential.checkAttribute(name, "v"));
    }

    @Test
    void aLongBadNameIsShownCutAfter64Characters() {
        String name = "A".repeat(64);
        String longer = "A".repeat(65);

        refused(ErrorKind.INVALID, "'" + name + "'" + NAME_ERROR, () -> Credential.checkAttribute(name, "v"));
        refused(ErrorKind.INVALID, "'" + name + "…'" + NAME_ERROR, () -> Credential.checkAttribute(longer, "v"));
    }

    @Test
    void theNameLimitIs64Characters() throws Exception {
        Credential.checkAttribute("a".repeat(64), "v");
        refused(ErrorKind.INVALID, "'" + "a".repeat(64) + "…'" + NAME_ERROR, () -> Credential.checkAttribute("a".repeat(65), "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "é", "✓", "😀"})
    void aValueOf256Utf8BytesIsAcceptedAnd257Refused(String unit) throws Exception {
        String at = utf8Bytes(256, unit);
        Credential.checkAttribute("role", at);
        Credential.checkAttribute("role", "");

        refused(ErrorKind.INVALID, "the value of attribute 'role' exceeds 256 bytes", () -> Credential.checkAttribute("role", at + "a"));
    }

    @Test
    void aValueOfFewerThan257CharactersButMoreThan256BytesIsRefused() {
        String value = "é".repeat(129);
        assertThat(value).hasSize(129);

        refused(ErrorKind.INVALID, "the value of attribute 'role' exceeds 256 bytes", () -> Credential.checkAttribute("role", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "a\tb", "line\n", "\r", "\u001b[31m", "\u007f", "\u0085", "\u009f"})
    void aValueWithAControlCharacterIsRefused(String value) {
        refused(ErrorKind.INVALID, "the value of attribute 'role' contains a control character",
                () -> Credential.checkAttribute("role", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "prod west", "\u00a0", "~", "日本", "a=b,c"})
    void printableValuesAreAccepted(String value) throws Exception {
        Credential.checkAttribute("role", value);
    }
}
