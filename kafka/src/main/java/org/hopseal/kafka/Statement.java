package org.hopseal.kafka;

import java.nio.charset.StandardCharsets;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * A signed statement on the key topic ({@code docs/kafka.md}): {@code u8 kind | data body | data signature}, the
 * signature by the signer's identity key over the kind's context string followed by the body.
 */
record Statement(Kind kind, byte[] body, byte[] signature) {
    /** The largest statement a reader accepts from the key topic. */
    static final int MAX_ENCODED = 256 * 1024;

    /** What a statement says, with the context its signature covers. */
    enum Kind {
        ANNOUNCEMENT(1, "hopseal/kafka-announcement/1"),
        EPOCH_KEY(2, "hopseal/kafka-epoch/1");

        final int code;
        final byte[] context;

        Kind(int code, String context) {
            this.code = code;
            this.context = context.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The bytes the signature covers. */
    static byte[] signedBytes(Kind kind, byte[] body) {
        byte[] out = new byte[kind.context.length + body.length];
        System.arraycopy(kind.context, 0, out, 0, kind.context.length);
        System.arraycopy(body, 0, out, kind.context.length, body.length);
        return out;
    }

    byte[] encode() {
        return new BareWriter().writeU8(kind.code).writeData(body).writeData(signature).toByteArray();
    }

    static Statement decode(byte[] encoded) throws DecodeException {
        if (encoded.length > MAX_ENCODED) {
            throw new DecodeException("a key-topic statement of " + encoded.length + " bytes exceeds the limit of " + MAX_ENCODED);
        }
        BareReader r = new BareReader(encoded);
        int code = r.readU8();
        Kind kind = switch (code) {
            case 1 -> Kind.ANNOUNCEMENT;
            case 2 -> Kind.EPOCH_KEY;
            default -> throw new DecodeException("unknown key-topic statement kind " + code);
        };
        byte[] body = r.readData();
        byte[] signature = r.readData();
        r.expectEnd("key-topic statement");
        return new Statement(kind, body, signature);
    }
}
