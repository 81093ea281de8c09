package org.hopseal.core.channel;

import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * The credentials one side presents, as the identity payload and a credentials frame carry them:
 * {@code uint n (0..8) | data credential * n}, each credential at most {@link Credential#MAX_ENCODED} bytes.
 */
public final class PresentedCredentials {
    /** The most credentials a side may present at once. */
    public static final int MAX = 8;

    private PresentedCredentials() {
    }

    public static void write(BareWriter w, List<Credential> credentials) {
        if (credentials.size() > MAX) {
            throw new IllegalArgumentException("at most " + MAX + " credentials can be presented, not " + credentials.size());
        }
        w.writeUint(credentials.size());
        credentials.forEach(c -> w.writeData(c.encoded()));
    }

    public static List<byte[]> read(BareReader r) throws DecodeException {
        int n = (int) r.readUint(MAX, "credentials");
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] c = r.readData();
            if (c.length > Credential.MAX_ENCODED) {
                throw new DecodeException("a credential of " + c.length + " bytes exceeds " + Credential.MAX_ENCODED);
            }
            out.add(c);
        }
        return out;
    }

    static byte[] encode(List<Credential> credentials) {
        BareWriter w = new BareWriter(1024);
        write(w, credentials);
        return w.toByteArray();
    }

    static List<byte[]> decode(byte[] bytes) throws DecodeException {
        BareReader r = new BareReader(bytes);
        List<byte[]> out = read(r);
        r.expectEnd("credentials");
        return out;
    }
}
