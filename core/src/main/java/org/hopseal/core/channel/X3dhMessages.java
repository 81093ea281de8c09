package org.hopseal.core.channel;

import java.util.Arrays;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.vault.KeyType;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * The X3DH messages inside channel frames of type 3 (BARE; the first byte is the kind):
 * <pre>
 * request = u8 0
 * bundle  = u8 1 | data IK_B | data SPK_B | data SPK_signature | optional&lt;u32 OPK_id | data OPK_B&gt; | data identity_payload
 * initial = u8 2 | data IK_A | data EK_A | data SPK_B | optional&lt;u32 OPK_id&gt; | data ciphertext
 * </pre>
 * Public keys are 32-byte X25519 keys; the identity payload is the entity's (see {@code docs/identity-protocol.md}).
 */
final class X3dhMessages {
    static final int REQUEST = 0;
    static final int BUNDLE = 1;
    static final int INITIAL = 2;

    private X3dhMessages() {
    }

    record Bundle(byte[] core, PublicKey ik, PublicKey spk, byte[] spkSignature, Long opkId, PublicKey opk, byte[] identityPayload) {
        /** Everything but the identity payload: what Bob's identity proof is bound to. */
        static byte[] core(PublicKey ik, PublicKey spk, byte[] spkSignature, Long opkId, PublicKey opk) {
            BareWriter w = new BareWriter(200).writeU8(BUNDLE).writeData(ik.bytes()).writeData(spk.bytes()).writeData(spkSignature);
            if (opkId == null) {
                w.writeU8(0);
            } else {
                w.writeU8(1).writeU32(opkId).writeData(opk.bytes());
            }
            return w.toByteArray();
        }

        byte[] encode() {
            BareWriter w = new BareWriter(core.length + identityPayload.length + 8).writeFixed(core).writeData(identityPayload);
            return w.toByteArray();
        }
    }

    record Initial(byte[] header, PublicKey ik, PublicKey ek, PublicKey spk, Long opkId, byte[] ciphertext) {
        static byte[] header(PublicKey ik, PublicKey ek, PublicKey spk, Long opkId) {
            BareWriter w = new BareWriter(120).writeU8(INITIAL).writeData(ik.bytes()).writeData(ek.bytes()).writeData(spk.bytes());
            if (opkId == null) {
                w.writeU8(0);
            } else {
                w.writeU8(1).writeU32(opkId);
            }
            return w.toByteArray();
        }

        byte[] encode() {
            return new BareWriter(header.length + ciphertext.length + 8).writeFixed(header).writeData(ciphertext).toByteArray();
        }
    }

    static int kind(byte[] message) throws DecodeException {
        if (message.length == 0) {
            throw new DecodeException("empty X3DH message");
        }
        return message[0] & 0xFF;
    }

    static Bundle decodeBundle(byte[] m) throws DecodeException {
        BareReader r = new BareReader(m);
        if (r.readU8() != BUNDLE) {
            throw new DecodeException("not an X3DH bundle");
        }
        PublicKey ik = key(r.readData());
        PublicKey spk = key(r.readData());
        byte[] sig = r.readData();
        Long opkId = null;
        PublicKey opk = null;
        if (r.readBool()) {
            opkId = r.readU32();
            opk = key(r.readData());
        }
        int coreLength = m.length - r.remaining();
        byte[] payload = r.readData();
        r.expectEnd("X3DH bundle");
        return new Bundle(Arrays.copyOf(m, coreLength), ik, spk, sig, opkId, opk, payload);
    }

    static Initial decodeInitial(byte[] m) throws DecodeException {
        BareReader r = new BareReader(m);
        if (r.readU8() != INITIAL) {
            throw new DecodeException("not an X3DH initial message");
        }
        PublicKey ik = key(r.readData());
        PublicKey ek = key(r.readData());
        PublicKey spk = key(r.readData());
        Long opkId = r.readBool() ? r.readU32() : null;
        int headerLength = m.length - r.remaining();
        byte[] ciphertext = r.readData();
        r.expectEnd("X3DH initial message");
        return new Initial(Arrays.copyOf(m, headerLength), ik, ek, spk, opkId, ciphertext);
    }

    private static PublicKey key(byte[] bytes) throws DecodeException {
        if (bytes.length != 32) {
            throw new DecodeException("X3DH public keys are 32 bytes, not " + bytes.length);
        }
        return new PublicKey(KeyType.X25519, bytes);
    }
}
