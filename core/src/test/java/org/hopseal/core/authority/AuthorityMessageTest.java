package org.hopseal.core.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The member–authority protocol's BARE union (docs/credentials.md, "Enrollment"): each variant's exact bytes both
 * ways, each bound at its limit and one past it, trailing bytes and unknown tags.
 */
class AuthorityMessageTest {
    private static void refused(byte[] payload, String message) {
        assertThatThrownBy(() -> AuthorityMessage.decode(payload)).isInstanceOf(DecodeException.class).hasMessage(message);
    }

    private static byte[] data(int tag, int length) {
        return new BareWriter().writeU8(tag).writeData(new byte[length]).toByteArray();
    }

    private static byte[] refusal(String reason) {
        return new BareWriter().writeU8(AuthorityMessage.REFUSED).writeString(reason).toByteArray();
    }

    @Test
    void eachVariantIsItsDocumentedBytesBothWays() throws Exception {
        byte[] enroll = {0, 3, 1, 2, 3};
        byte[] renew = {1};
        byte[] issued = {2, 2, 9, 8};
        byte[] refused = {3, 2, 'n', 'o'};

        assertThat(AuthorityMessage.encode(new AuthorityMessage.Enroll(new byte[] {1, 2, 3}))).isEqualTo(enroll);
        assertThat(AuthorityMessage.encode(new AuthorityMessage.Renew())).isEqualTo(renew);
        assertThat(AuthorityMessage.encode(new AuthorityMessage.Issued(new byte[] {9, 8}))).isEqualTo(issued);
        assertThat(AuthorityMessage.encode(new AuthorityMessage.Refused("no"))).isEqualTo(refused);

        assertThat(AuthorityMessage.decode(enroll)).isInstanceOfSatisfying(AuthorityMessage.Enroll.class,
                e -> assertThat(e.ticket()).containsExactly(1, 2, 3));
        assertThat(AuthorityMessage.decode(renew)).isInstanceOf(AuthorityMessage.Renew.class);
        assertThat(AuthorityMessage.decode(issued)).isInstanceOfSatisfying(AuthorityMessage.Issued.class,
                i -> assertThat(i.credential()).containsExactly(9, 8));
        assertThat(AuthorityMessage.decode(refused)).isEqualTo(new AuthorityMessage.Refused("no"));
    }

    @Test
    void theTagsAndTheReasonLimitAreThoseDocumented() {
        assertThat(new int[] {AuthorityMessage.ENROLL, AuthorityMessage.RENEW, AuthorityMessage.ISSUED, AuthorityMessage.REFUSED})
                .containsExactly(0, 1, 2, 3);
        assertThat(AuthorityMessage.MAX_REASON).isEqualTo(512);
    }

    @Test
    void aTicketOf8KiBIsDecodedAndOneByteMoreRefused() throws Exception {
        assertThat(AuthorityMessage.decode(data(AuthorityMessage.ENROLL, EnrollmentTicket.MAX_ENCODED)))
                .isInstanceOfSatisfying(AuthorityMessage.Enroll.class, e -> assertThat(e.ticket()).hasSize(8192));
        refused(data(AuthorityMessage.ENROLL, EnrollmentTicket.MAX_ENCODED + 1), "ticket longer than 8192 bytes");
    }

    @Test
    void aCredentialOf16KiBIsDecodedAndOneByteMoreRefused() throws Exception {
        assertThat(AuthorityMessage.decode(data(AuthorityMessage.ISSUED, Credential.MAX_ENCODED)))
                .isInstanceOfSatisfying(AuthorityMessage.Issued.class, i -> assertThat(i.credential()).hasSize(16384));
        refused(data(AuthorityMessage.ISSUED, Credential.MAX_ENCODED + 1), "credential longer than 16384 bytes");
    }

    @Test
    void aPayloadOfMoreThan16KiBAndSixteenBytesIsRefusedBeforeItIsRead() {
        // tag, a three-byte length and 16396 bytes: 16400 in all, read (and refused for its content); one more is not read.
        byte[] atLimit = data(AuthorityMessage.ISSUED, Credential.MAX_ENCODED + 12);
        byte[] overLimit = data(AuthorityMessage.ISSUED, Credential.MAX_ENCODED + 13);
        assertThat(atLimit).hasSize(Credential.MAX_ENCODED + 16);

        refused(atLimit, "credential longer than 16384 bytes");
        refused(overLimit, "an authority message of 16401 bytes is too large");
    }

    @Test
    void aReasonOf512CharactersIsDecodedAnd513Refused() throws Exception {
        String longest = "é".repeat(512);

        assertThat(AuthorityMessage.decode(refusal(longest))).isEqualTo(new AuthorityMessage.Refused(longest));
        refused(refusal(longest + "x"), "refusal reason longer than 512 characters");
    }

    @Test
    void aLongerReasonIsCutTo512CharactersWhenTheRefusalIsMade() {
        String longest = "r".repeat(512);

        assertThat(new AuthorityMessage.Refused(longest).reason()).isEqualTo(longest);
        assertThat(new AuthorityMessage.Refused(longest + "and more").reason()).isEqualTo(longest);
    }

    @Test
    void trailingBytesAfterAnyVariantAreRefused() {
        for (byte[] good : new byte[][] {{0, 1, 7}, {1}, {2, 1, 7}, {3, 1, 'x'}}) {
            refused(Arrays.copyOf(good, good.length + 1), "authority message has 1 trailing bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 127, 255})
    void anUnknownTagIsRefused(int tag) {
        refused(new byte[] {(byte) tag}, "unknown authority message " + tag);
    }

    @Test
    void anEmptyOrTruncatedPayloadIsRefused() {
        refused(new byte[0], "truncated input: u8 needs 1 bytes, 0 remain");
        refused(new byte[] {0, 3, 1, 2}, "data length 3 exceeds the 2 bytes that remain");
    }
}
