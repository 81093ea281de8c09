package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.hopseal.api.error.DecodeException;
import org.junit.jupiter.api.Test;

/** The identity payload of a handshake and the channel binding its proof of possession signs. */
class IdentityPayloadTest {
    private static final byte[] CONTEXT = "hopseal/channel-binding/1".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theProofInputIsTheContextThenTheRoleThenTheWholeBinding() {
        byte[] binding = {1, 2, 3, 4, 5, 6, 7, 8};

        byte[] initiator = IdentityPayload.proofInput(binding, true);
        byte[] responder = IdentityPayload.proofInput(binding, false);

        assertThat(Arrays.copyOf(initiator, CONTEXT.length)).isEqualTo(CONTEXT);
        assertThat(initiator[CONTEXT.length]).isEqualTo((byte) 'I');
        assertThat(responder[CONTEXT.length]).isEqualTo((byte) 'R');
        assertThat(Arrays.copyOfRange(initiator, CONTEXT.length + 1, initiator.length)).isEqualTo(binding);
        assertThat(Arrays.copyOfRange(responder, CONTEXT.length + 1, responder.length)).isEqualTo(binding);
    }

    @Test
    void proofsForDifferentHandshakesOrRolesSignDifferentInputs() {
        byte[] one = new byte[32];
        byte[] other = new byte[32];
        other[31] = 1;

        assertThat(IdentityPayload.proofInput(one, true)).as("another handshake's binding")
                .isNotEqualTo(IdentityPayload.proofInput(other, true));
        assertThat(IdentityPayload.proofInput(one, true)).as("the other role")
                .isNotEqualTo(IdentityPayload.proofInput(one, false));
    }

    @Test
    void aPayloadSurvivesEncodingEvenWithEmptyFields() throws DecodeException {
        IdentityPayload empty = new IdentityPayload(new byte[0], new byte[0], new byte[0], List.of());
        IdentityPayload full = new IdentityPayload(new byte[300], new byte[120], new byte[64], List.of(new byte[7], new byte[0]));

        IdentityPayload decoded = IdentityPayload.decode(full.encode());

        assertThat(IdentityPayload.decode(empty.encode()).history()).isEmpty();
        assertThat(decoded.history()).hasSize(300);
        assertThat(decoded.attestation()).hasSize(120);
        assertThat(decoded.proof()).hasSize(64);
        assertThat(decoded.credentials()).extracting(c -> c.length).containsExactly(7, 0);
    }

    @Test
    void aVersionOnePayloadHasNoCredentials() throws DecodeException {
        byte[] v2 = new IdentityPayload(new byte[3], new byte[4], new byte[5], List.of()).encode();
        byte[] v1 = Arrays.copyOf(v2, v2.length - 1); // without the credential count
        v1[0] = 1;

        IdentityPayload decoded = IdentityPayload.decode(v1);

        assertThat(decoded.proof()).hasSize(5);
        assertThat(decoded.credentials()).isEmpty();
    }

    @Test
    void moreThanEightCredentialsAreRefusedBeforeAnyIsRead() {
        byte[] nine = new IdentityPayload(new byte[3], new byte[4], new byte[5], Collections.nCopies(9, new byte[1])).encode();

        assertThatThrownBy(() -> IdentityPayload.decode(nine)).isInstanceOf(DecodeException.class).hasMessageContaining("credentials");
    }

    @Test
    void anUnknownVersionOrTrailingBytesAreRefused() {
        byte[] good = new IdentityPayload(new byte[3], new byte[4], new byte[5], List.of()).encode();
        byte[] v3 = good.clone();
        v3[0] = 3;
        byte[] trailing = Arrays.copyOf(good, good.length + 1);

        assertThatThrownBy(() -> IdentityPayload.decode(v3)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("unsupported identity payload version 3");
        assertThatThrownBy(() -> IdentityPayload.decode(trailing)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("identity payload");
    }
}
