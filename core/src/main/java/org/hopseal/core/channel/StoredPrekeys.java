package org.hopseal.core.channel;

import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * What a vault keeps of a listener's X3DH prekeys (record {@code x3dh-prekeys/<IK>/<listener address>}):
 * {@code u8 version (1) | string spk_key_id | data spk_signature | u64 next_id | uint count | (u64 id | string
 * key_id) * count}. Key handles and public signatures only: the private keys stay in the vault.
 */
record StoredPrekeys(String signedPrekeyId, byte[] signature, long nextId, List<Outstanding> outstanding) {
    static final int VERSION = 1;

    /** A one-time prekey that was handed out and not yet consumed. */
    record Outstanding(long id, String keyId) {
    }

    byte[] encode() {
        BareWriter w = new BareWriter().writeU8(VERSION).writeString(signedPrekeyId).writeData(signature).writeU64(nextId)
                .writeUint(outstanding.size());
        for (Outstanding o : outstanding) {
            w.writeU64(o.id()).writeString(o.keyId());
        }
        return w.toByteArray();
    }

    static StoredPrekeys decode(byte[] bytes) throws DecodeException {
        BareReader r = new BareReader(bytes);
        int version = r.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported stored prekeys version " + version);
        }
        String spk = r.readString();
        byte[] signature = r.readData();
        long nextId = r.readU64();
        int count = r.readLength(9, "stored one-time prekeys");
        List<Outstanding> outstanding = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            outstanding.add(new Outstanding(r.readU64(), r.readString()));
        }
        r.expectEnd("stored prekeys");
        return new StoredPrekeys(spk, signature, nextId, outstanding);
    }
}
