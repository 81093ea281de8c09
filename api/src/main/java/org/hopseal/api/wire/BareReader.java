package org.hopseal.api.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hopseal.api.error.DecodeException;

/**
 * Reads BARE values from untrusted bytes. Every length is checked against the bytes that remain before anything is
 * allocated, so a hostile length can never cause an allocation larger than the input. Every failure is a
 * {@link DecodeException}.
 *
 * <p>Thread safety: not thread safe; use one reader per decoding.
 *
 * @since 0.1
 */
public final class BareReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    public BareReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public BareReader(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException();
        }
        this.buf = bytes;
        this.pos = offset;
        this.end = offset + length;
    }

    /**
     * A reader of the bytes of {@code buffer} from its position to its limit: where they lie when the buffer has an
     * accessible array, else a copy. The buffer's position does not move.
     */
    public static BareReader over(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            return new BareReader(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(buffer.position(), copy);
        return new BareReader(copy);
    }

    public int remaining() {
        return end - pos;
    }

    /** {@return where the next value starts in the array read from} */
    public int position() {
        return pos;
    }

    /**
     * Passes over {@code n} bytes, which the caller takes from the array where they lie (from {@link #position()}
     * before the skip) instead of copying them.
     *
     * @throws DecodeException if fewer than {@code n} bytes remain
     */
    public void skip(int n) throws DecodeException {
        need(n, "fixed data");
        pos += n;
    }

    private void need(int n, String what) throws DecodeException {
        if (n < 0 || n > end - pos) {
            throw new DecodeException("truncated input: " + what + " needs " + n + " bytes, " + (end - pos) + " remain");
        }
    }

    public int readU8() throws DecodeException {
        need(1, "u8");
        return buf[pos++] & 0xFF;
    }

    public boolean readBool() throws DecodeException {
        int b = readU8();
        if (b > 1) {
            throw new DecodeException("invalid bool value " + b);
        }
        return b == 1;
    }

    /** BARE {@code uint} (ULEB128, at most 10 bytes, no overflow, minimal form not required). */
    public long readUint() throws DecodeException {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readU8();
            if (shift == 63 && (b & 0x7E) != 0) {
                throw new DecodeException("uint overflows 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new DecodeException("uint longer than 10 bytes");
    }

    /**
     * Reads a {@code uint} that must lie in {@code [0, max]}; anything larger (including values of 2^63 and more,
     * which are negative as a Java {@code long}) is a {@link DecodeException} naming {@code what}.
     */
    public long readUint(long max, String what) throws DecodeException {
        long n = readUint();
        if (n < 0 || n > max) {
            throw new DecodeException(what + " " + Long.toUnsignedString(n) + " is out of range (at most " + max + ")");
        }
        return n;
    }

    /**
     * Reads a {@code uint} count of items that each take at least {@code minItemSize} bytes, and checks that the
     * remaining input can hold them.
     */
    public int readLength(int minItemSize, String what) throws DecodeException {
        long n = readUint();
        // n is unsigned: a value of 2^63 or more is negative as a long and must fail here too.
        if (n < 0 || n > (end - pos) / Math.max(1, minItemSize)) {
            throw new DecodeException(what + " length " + Long.toUnsignedString(n) + " exceeds the " + (end - pos)
                    + " bytes that remain");
        }
        return (int) n;
    }

    public long readU32() throws DecodeException {
        need(4, "u32");
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    public long readU64() throws DecodeException {
        need(8, "u64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    public byte[] readData() throws DecodeException {
        int n = readLength(1, "data");
        return readFixed(n);
    }

    public byte[] readFixed(int n) throws DecodeException {
        need(n, "fixed data");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** BARE {@code string}; malformed UTF-8 is rejected. */
    public String readString() throws DecodeException {
        int n = readLength(1, "string");
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new DecodeException("string is not valid UTF-8");
        }
    }

    /** Fails unless every byte has been read. */
    public void expectEnd(String what) throws DecodeException {
        if (pos != end) {
            throw new DecodeException(what + " has " + (end - pos) + " trailing bytes");
        }
    }
}
