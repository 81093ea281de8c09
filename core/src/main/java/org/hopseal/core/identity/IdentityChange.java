package org.hopseal.core.identity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.vault.PublicKey;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * One signed change of an identity's history (see {@code docs/identity-protocol.md}).
 *
 * <pre>
 * body   = u8 version (1) | uint index | data previous_change_id (empty for the first) | u8 key_type | data public_key
 * change = data body | data self_signature | optional&lt;data previous_signature&gt;
 * </pre>
 * Both signatures cover {@code "hopseal/identity-change/1" || body}: the self signature by the new key, the previous
 * signature by the key it replaces. The first change has no previous signature and no timestamp, so that it is
 * deterministic and the identifier ({@code I} + hex(SHA-256(first body))) depends on the root key alone.
 */
record IdentityChange(byte[] body, int index, byte[] previousId, PublicKey key, byte[] selfSignature, byte[] previousSignature) {
    static final int VERSION = 1;
    static final byte[] SIGNING_CONTEXT = "hopseal/identity-change/1".getBytes(StandardCharsets.US_ASCII);
    /** Identities with more changes are rejected (an honest identity rotates far less). */
    static final int MAX_CHANGES = 1024;

    static byte[] body(int index, byte[] previousId, PublicKey key) {
        return new BareWriter().writeU8(VERSION).writeUint(index).writeData(previousId)
                .writeU8(KeyCodes.code(key.type())).writeData(key.bytes()).toByteArray();
    }

    static byte[] signedBytes(byte[] body) {
        byte[] out = Arrays.copyOf(SIGNING_CONTEXT, SIGNING_CONTEXT.length + body.length);
        System.arraycopy(body, 0, out, SIGNING_CONTEXT.length, body.length);
        return out;
    }

    void encode(BareWriter w) {
        w.writeData(body).writeData(selfSignature);
        if (previousSignature == null) {
            w.writeU8(0);
        } else {
            w.writeU8(1).writeData(previousSignature);
        }
    }

    static IdentityChange decode(BareReader r) throws DecodeException {
        byte[] body = r.readData();
        byte[] self = r.readData();
        byte[] previous = r.readBool() ? r.readData() : null;
        BareReader b = new BareReader(body);
        int version = b.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported identity change version " + version);
        }
        long index = b.readUint(MAX_CHANGES, "identity change index");
        byte[] previousId = b.readData();
        PublicKey key = KeyCodes.publicKey(b.readU8(), b.readData());
        b.expectEnd("identity change body");
        return new IdentityChange(body, (int) index, previousId, key, self, previous);
    }
}
