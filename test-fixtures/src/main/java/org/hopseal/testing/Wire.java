package org.hopseal.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Hopseal's TCP wire format written out by hand, independently of Hopseal's own classes, so that tests can speak it
 * as an outsider does and craft what Hopseal itself would never send.
 *
 * <p>A connection opens with one protocol-version byte {@code 1} from each side; then every message is a frame:
 * u32 big-endian length + BARE {@code u8 version(=1) | route onward | route return | data payload}; a route is a
 * uint (ULEB128) count of addresses, an address {@code u8 type | data value}, data a uint length and the bytes.
 */
public final class Wire {
    public static final int PROTOCOL_VERSION = 1;
    public static final int MESSAGE_VERSION = 1;
    /** The first eight bytes of every error reply ({@code RoutingError}). */
    public static final byte[] ERROR_MAGIC = {(byte) 0xE0, 'h', 's', 'e', 'r', 'r', 0, 1};

    private Wire() {
    }

    /** One address: transport type (0 local, 1 TCP) and value bytes. */
    public record Addr(int type, byte[] value) {
        public static Addr local(String name) {
            return new Addr(0, name.getBytes(StandardCharsets.UTF_8));
        }

        public static Addr tcp(String hostAndPort) {
            return new Addr(1, hostAndPort.getBytes(StandardCharsets.UTF_8));
        }

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Addr a && a.type == type && Arrays.equals(a.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return type + "#" + text();
        }
    }

    /** One decoded message. */
    public record Frame(List<Addr> onward, List<Addr> back, byte[] payload) {
        public boolean isRoutingError() {
            return payload.length >= ERROR_MAGIC.length && Arrays.equals(payload, 0, ERROR_MAGIC.length, ERROR_MAGIC, 0, ERROR_MAGIC.length);
        }

        /** The error reply's kind byte and reason text. */
        public String errorText() {
            Reader r = new Reader(payload, ERROR_MAGIC.length);
            int kind = r.u8();
            return "kind " + kind + ": " + new String(r.data(), StandardCharsets.UTF_8);
        }

        /** The payload read as a BARE string, or {@code null} if it is not one. */
        public String textOrNull() {
            try {
                Reader r = new Reader(payload, 0);
                String s = new String(r.data(), StandardCharsets.UTF_8);
                return r.at == payload.length ? s : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return "Frame{onward=" + onward + ", return=" + back + ", payload=" + payload.length + " bytes"
                    + (isRoutingError() ? ", error " + errorText() : textOrNull() != null && payload.length < 200 ? ", text '" + textOrNull() + "'" : "")
                    + "}";
        }
    }

    /** A BARE string: the payload of a {@code String} body. */
    public static byte[] string(String text) {
        return data(text.getBytes(StandardCharsets.UTF_8));
    }

    /** BARE data: the payload of a {@code byte[]} body. */
    public static byte[] data(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 10);
        uint(out, bytes.length);
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    /** The BARE transport message (without the length prefix). */
    public static byte[] message(List<Addr> onward, List<Addr> back, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 64);
        out.write(MESSAGE_VERSION);
        route(out, onward);
        route(out, back);
        uint(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A whole frame: u32 big-endian length, then {@code body}. */
    public static byte[] frame(byte[] body) {
        byte[] f = new byte[4 + body.length];
        f[0] = (byte) (body.length >>> 24);
        f[1] = (byte) (body.length >>> 16);
        f[2] = (byte) (body.length >>> 8);
        f[3] = (byte) body.length;
        System.arraycopy(body, 0, f, 4, body.length);
        return f;
    }

    public static byte[] frame(List<Addr> onward, List<Addr> back, byte[] payload) {
        return frame(message(onward, back, payload));
    }

    public static void route(ByteArrayOutputStream out, List<Addr> route) {
        uint(out, route.size());
        for (Addr a : route) {
            out.write(a.type());
            uint(out, a.value().length);
            out.writeBytes(a.value());
        }
    }

    public static void uint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Decodes a frame's body. */
    public static Frame decode(byte[] body) {
        Reader r = new Reader(body, 0);
        int version = r.u8();
        if (version != MESSAGE_VERSION) {
            throw new IllegalArgumentException("message version " + version);
        }
        List<Addr> onward = r.route();
        List<Addr> back = r.route();
        byte[] payload = r.data();
        if (r.at != body.length) {
            throw new IllegalArgumentException((body.length - r.at) + " bytes left over");
        }
        return new Frame(onward, back, payload);
    }

    /** Reads one frame's body (after its length) from {@code in}; {@code null} at a clean end of stream. */
    public static byte[] readFrameBody(InputStream in, int maxLength) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        byte[] rest = in.readNBytes(3);
        if (rest.length < 3) {
            throw new EOFException("end of stream inside a frame length");
        }
        long length = ((long) b0 << 24) | ((rest[0] & 0xFFL) << 16) | ((rest[1] & 0xFFL) << 8) | (rest[2] & 0xFFL);
        if (length > maxLength) {
            throw new IOException("frame of " + length + " bytes");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException("end of stream inside a frame");
        }
        return body;
    }

    /** {@code n} copies of {@code a}. */
    public static List<Addr> times(int n, Addr a) {
        return new ArrayList<>(Collections.nCopies(n, a));
    }

    public static List<Addr> concat(List<Addr> a, List<Addr> b) {
        List<Addr> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        int u8() {
            if (at >= bytes.length) {
                throw new IllegalArgumentException("truncated");
            }
            return bytes[at++] & 0xFF;
        }

        long uint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("uint too long");
        }

        byte[] data() {
            long n = uint();
            if (n > bytes.length - at) {
                throw new IllegalArgumentException("truncated data");
            }
            byte[] d = Arrays.copyOfRange(bytes, at, at + (int) n);
            at += (int) n;
            return d;
        }

        List<Addr> route() {
            long n = uint();
            if (n > bytes.length - at) {
                throw new IllegalArgumentException("route count " + n);
            }
            List<Addr> route = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) {
                int type = u8();
                route.add(new Addr(type, data()));
            }
            return route;
        }
    }
}
