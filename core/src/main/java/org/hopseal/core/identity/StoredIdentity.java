package org.hopseal.core.identity;

import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * What a vault keeps of an entity (record {@code identity/<identifier>}): {@code u8 version (2) | string name | data
 * history | data channel_static_public_key}; version 1 had no name (such identities are unnamed). Public data only:
 * the keys themselves stay in the vault.
 *
 * @param name the identity's name in its vault, or the empty string for an unnamed one
 */
record StoredIdentity(String name, byte[] history, byte[] staticPublicKey) {
    static final int VERSION = 2;
    private static final int VERSION_WITHOUT_NAME = 1;

    byte[] encode() {
        return new BareWriter().writeU8(VERSION).writeString(name).writeData(history).writeData(staticPublicKey).toByteArray();
    }

    static StoredIdentity decode(byte[] bytes) throws DecodeException {
        BareReader r = new BareReader(bytes);
        int version = r.readU8();
        if (version != VERSION && version != VERSION_WITHOUT_NAME) {
            throw new DecodeException("unsupported stored identity version " + version);
        }
        String name = version == VERSION ? r.readString() : "";
        StoredIdentity s = new StoredIdentity(name, r.readData(), r.readData());
        r.expectEnd("stored identity");
        return s;
    }
}
