package org.hopseal.api.credential;

import java.util.Arrays;
import java.util.Base64;
import org.hopseal.api.error.CredentialException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * What credentials and enrollment tickets share: the envelope {@code data body | data signature}, a signature over
 * {@code context || body}, and a one-line text form {@code PREFIX || base64url(envelope)} without padding.
 */
final class SignedEnvelope {
    /** An envelope's parts. */
    record Parts(byte[] body, byte[] signature) {
    }

    private SignedEnvelope() {
    }

    static byte[] signedBytes(byte[] context, byte[] body) {
        byte[] out = Arrays.copyOf(context, context.length + body.length);
        System.arraycopy(body, 0, out, context.length, body.length);
        return out;
    }

    static byte[] encode(byte[] body, byte[] signature) {
        return new BareWriter(body.length + signature.length + 8).writeData(body).writeData(signature).toByteArray();
    }

    /** The parts of an envelope of at most {@code max} bytes; {@code what} names it in errors. */
    static Parts open(byte[] encoded, int max, String what) throws CredentialException, DecodeException {
        if (encoded.length > max) {
            throw new CredentialException(ErrorKind.INVALID, "a " + what + " of " + encoded.length + " bytes exceeds the limit of " + max);
        }
        BareReader r = new BareReader(encoded);
        Parts parts = new Parts(r.readData(), r.readData());
        r.expectEnd(what);
        return parts;
    }

    static String toText(String prefix, byte[] encoded) {
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(encoded);
    }

    /** The envelope a text form holds (surrounding white space ignored); {@code what} names it in errors. */
    static byte[] fromText(String text, String prefix, int max, String what) throws CredentialException {
        String t = text.strip();
        if (!t.startsWith(prefix)) {
            throw new CredentialException(ErrorKind.INVALID, "a " + what + "'s text starts with '" + prefix + "'");
        }
        String b64 = t.substring(prefix.length());
        if (b64.length() > max * 4 / 3 + 4) {
            throw new CredentialException(ErrorKind.INVALID, "the " + what + " text is longer than any " + what);
        }
        try {
            return Base64.getUrlDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new CredentialException(ErrorKind.INVALID, "the " + what + " text is not base64url: " + e.getMessage());
        }
    }
}
