package org.hopseal.api.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes BARE values (https://baremessages.org) into a growing buffer: {@code u8}, {@code uint} (ULEB128),
 * little-endian fixed-width integers, {@code data} (length + bytes), {@code string} (length + UTF-8), fixed-length
 * data and {@code optional}.
 *
 * <p>Thread safety: not thread safe; use one writer per encoding.
 *
 * @since 0.1
 */
public final class BareWriter {
    private byte[] buf;
    private int size;

    public BareWriter() {
        this(64);
    }

    public BareWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public BareWriter writeU8(int value) {
        ensure(1);
        buf[size++] = (byte) value;
        return this;
    }

    public BareWriter writeBool(boolean value) {
        return writeU8(value ? 1 : 0);
    }

    /** BARE {@code uint}: unsigned LEB128. */
    public BareWriter writeUint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    /** BARE {@code u32}: four bytes, little endian. */
    public BareWriter writeU32(long value) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** BARE {@code u64}: eight bytes, little endian. */
    public BareWriter writeU64(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** BARE {@code data}: a {@code uint} length followed by the bytes. */
    public BareWriter writeData(byte[] data) {
        writeUint(data.length);
        return writeFixed(data);
    }

    /** Leaves {@code n} zero bytes for the caller to fill in the array later. */
    public BareWriter skip(int n) {
        ensure(n);
        size += n;
        return this;
    }

    /** BARE {@code data<N>}: exactly the bytes, no length. */
    public BareWriter writeFixed(byte[] data) {
        return writeFixed(data, 0, data.length);
    }

    /** BARE {@code data<N>}: exactly {@code length} bytes of {@code data} from {@code offset}, no length. */
    public BareWriter writeFixed(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        ensure(length);
        System.arraycopy(data, offset, buf, size, length);
        size += length;
        return this;
    }

    /** BARE {@code string}: a {@code uint} length followed by UTF-8. */
    public BareWriter writeString(String s) {
        return writeData(s.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return size;
    }

    /**
     * The bytes written. A writer sized exactly for its content hands over its own array without copying; writing
     * more afterwards grows into a new array, so the result never changes.
     */
    public byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    /** The length of {@code value} as a BARE {@code uint}. */
    public static int uintSize(long value) {
        int n = 1;
        for (long v = value >>> 7; v != 0; v >>>= 7) {
            n++;
        }
        return n;
    }
}
