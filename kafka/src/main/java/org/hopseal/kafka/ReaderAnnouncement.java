package org.hopseal.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * A consumer's statement "my reader key is {@code readerKey}", with the credentials it presents to producers
 * ({@code docs/kafka.md}). Kafka key: {@code reader/<identifier>}.
 */
record ReaderAnnouncement(byte[] history, byte[] readerKey, List<byte[]> credentials, Instant announcedAt) {
    static final int VERSION = 1;
    /** At most this many credentials, as in a secure channel. */
    static final int MAX_CREDENTIALS = 8;

    ReaderAnnouncement {
        credentials = List.copyOf(credentials);
    }

    byte[] encode() {
        BareWriter w = new BareWriter().writeU8(VERSION).writeData(history).writeData(readerKey).writeUint(credentials.size());
        for (byte[] c : credentials) {
            w.writeData(c);
        }
        return w.writeU64(announcedAt.getEpochSecond()).toByteArray();
    }

    static ReaderAnnouncement decode(byte[] body) throws DecodeException {
        BareReader r = new BareReader(body);
        int version = r.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported reader announcement version " + version);
        }
        byte[] history = r.readData();
        byte[] key = r.readData();
        if (key.length != Hpke.ENC_LENGTH) {
            throw new DecodeException("a reader key is 32 bytes, not " + key.length);
        }
        int n = r.readLength(1, "credentials");
        if (n > MAX_CREDENTIALS) {
            throw new DecodeException(n + " credentials announced; at most " + MAX_CREDENTIALS + " are accepted");
        }
        List<byte[]> credentials = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            credentials.add(r.readData());
        }
        Instant at = Times.instant(r.readU64(), "announcement time");
        r.expectEnd("reader announcement");
        return new ReaderAnnouncement(history, key, credentials, at);
    }
}
