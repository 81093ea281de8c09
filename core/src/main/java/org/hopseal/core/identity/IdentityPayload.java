package org.hopseal.core.identity;

import java.nio.charset.StandardCharsets;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * What an entity sends inside the Noise XX handshake (message 2 for the responder, 3 for the initiator):
 * {@code u8 version (1) | data change_history | data attestation | data proof}, where the proof is a signature by
 * the current identity key over {@code "hopseal/channel-binding/1" || role || binding}; {@code role} is {@code 'R'}
 * for the responder and {@code 'I'} for the initiator, and {@code binding} the handshake hash before the payload.
 */
record IdentityPayload(byte[] history, byte[] attestation, byte[] proof) {
    static final int VERSION = 1;
    private static final byte[] CONTEXT = "hopseal/channel-binding/1".getBytes(StandardCharsets.US_ASCII);

    static byte[] proofInput(byte[] binding, boolean initiator) {
        byte[] out = new byte[CONTEXT.length + 1 + binding.length];
        System.arraycopy(CONTEXT, 0, out, 0, CONTEXT.length);
        out[CONTEXT.length] = (byte) (initiator ? 'I' : 'R');
        System.arraycopy(binding, 0, out, CONTEXT.length + 1, binding.length);
        return out;
    }

    byte[] encode() {
        return new BareWriter(history.length + attestation.length + 96).writeU8(VERSION).writeData(history)
                .writeData(attestation).writeData(proof).toByteArray();
    }

    static IdentityPayload decode(byte[] bytes) throws DecodeException {
        BareReader r = new BareReader(bytes);
        int version = r.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported identity payload version " + version);
        }
        IdentityPayload p = new IdentityPayload(r.readData(), r.readData(), r.readData());
        r.expectEnd("identity payload");
        return p;
    }
}
