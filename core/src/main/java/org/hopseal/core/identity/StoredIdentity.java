package org.hopseal.core.identity;

import org.hopseal.api.codec.BareReader;
import org.hopseal.api.codec.BareWriter;
import org.hopseal.api.error.DecodeException;

/**
 * What a vault keeps of an entity (record {@code identity/<identifier>}): {@code u8 version (1) | data history |
 * data channel_static_public_key}. Public data only: the keys themselves stay in the vault.
 */
record StoredIdentity(byte[] history, byte[] staticPublicKey) {
    static final int VERSION = 1;

    byte[] encode() {
        return new BareWriter().writeU8(VERSION).writeData(history).writeData(staticPublicKey).toByteArray();
    }

    static StoredIdentity decode(byte[] bytes) throws DecodeException {
        BareReader r = new BareReader(bytes);
        int version = r.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported stored identity version " + version);
        }
        StoredIdentity s = new StoredIdentity(r.readData(), r.readData());
        r.expectEnd("stored identity");
        return s;
    }
}
