package org.hopseal.core.identity;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;
import org.hopseal.core.channel.PresentedCredentials;

/**
 * What an entity sends inside the handshake (Noise XX: message 2 for the responder, 3 for the initiator):
 * {@code u8 version (2) | data change_history | data attestation | data proof | uint n (0..8) | data credential * n},
 * where the proof is a signature by the current identity key over {@code "hopseal/channel-binding/1" || role ||
 * binding}; {@code role} is {@code 'R'} for the responder and {@code 'I'} for the initiator, and {@code binding} the
 * handshake hash before the payload. Version 1 (before credentials) ends after the proof and is still read.
 */
record IdentityPayload(byte[] history, byte[] attestation, byte[] proof, List<byte[]> credentials) {
    static final int VERSION = 2;
    private static final int VERSION_WITHOUT_CREDENTIALS = 1;
    private static final byte[] CONTEXT = "hopseal/channel-binding/1".getBytes(StandardCharsets.US_ASCII);

    static byte[] proofInput(byte[] binding, boolean initiator) {
        byte[] out = new byte[CONTEXT.length + 1 + binding.length];
        System.arraycopy(CONTEXT, 0, out, 0, CONTEXT.length);
        out[CONTEXT.length] = (byte) (initiator ? 'I' : 'R');
        System.arraycopy(binding, 0, out, CONTEXT.length + 1, binding.length);
        return out;
    }

    byte[] encode() {
        BareWriter w = new BareWriter(history.length + attestation.length + 96).writeU8(VERSION).writeData(history)
                .writeData(attestation).writeData(proof).writeUint(credentials.size());
        credentials.forEach(w::writeData);
        return w.toByteArray();
    }

    static IdentityPayload decode(byte[] bytes) throws DecodeException {
        BareReader r = new BareReader(bytes);
        int version = r.readU8();
        if (version != VERSION && version != VERSION_WITHOUT_CREDENTIALS) {
            throw new DecodeException("unsupported identity payload version " + version);
        }
        byte[] history = r.readData();
        byte[] attestation = r.readData();
        byte[] proof = r.readData();
        List<byte[]> credentials = version == VERSION ? PresentedCredentials.read(r) : List.of();
        r.expectEnd("identity payload");
        return new IdentityPayload(history, attestation, proof, credentials);
    }
}
