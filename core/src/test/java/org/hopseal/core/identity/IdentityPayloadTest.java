package org.hopseal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        IdentityPayload empty = new IdentityPayload(new byte[0], new byte[0], new byte[0]);
        IdentityPayload full = new IdentityPayload(new byte[300], new byte[120], new byte[64]);

        IdentityPayload decoded = IdentityPayload.decode(full.encode());

        assertThat(IdentityPayload.decode(empty.encode()).history()).isEmpty();
        assertThat(decoded.history()).hasSize(300);
        assertThat(decoded.attestation()).hasSize(120);
        assertThat(decoded.proof()).hasSize(64);
    }

    @Test
    void anUnknownVersionOrTrailingBytesAreRefused() {
        byte[] good = new IdentityPayload(new byte[3], new byte[4], new byte[5]).encode();
        byte[] v2 = good.clone();
        v2[0] = 2;
        byte[] trailing = Arrays.copyOf(good, good.length + 1);

        assertThatThrownBy(() -> IdentityPayload.decode(v2)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("unsupported identity payload version 2");
        assertThatThrownBy(() -> IdentityPayload.decode(trailing)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("identity payload");
    }
}
