package org.hopseal.api.routing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where a message goes next: a transport type (an unsigned byte) and that transport's address bytes.
 *
 * <p>Type {@link #LOCAL} (0) names a worker inside the node; type {@link #TCP} (1) names a TCP peer
 * ({@code "host:port"}). The text form is {@code tt#value}; a bare value is local, so {@code "echoer"} and
 * {@code "0#echoer"} are the same address. Addresses are values: equal when type and bytes are equal.
 *
 * <p>Thread safety: immutable.
 *
 * @since 0.1
 */
public final class Address {
    /** Transport type of workers inside one node. */
    public static final int LOCAL = 0;
    /** Transport type of TCP peers, {@code host:port}. */
    public static final int TCP = 1;
    /** The longest address value a node accepts from outside, in bytes. */
    public static final int MAX_VALUE_LENGTH = 255;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int type;
    private final byte[] value;
    private final int hash;

    private Address(int type, byte[] value) {
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("transport type must be 0..255, was " + type);
        }
        this.type = type;
        this.value = value;
        this.hash = 31 * type + Arrays.hashCode(value);
    }

    /** An address of the given transport type whose bytes are {@code value}. */
    public static Address of(int type, byte[] value) {
        return new Address(type, value.clone());
    }

    /** Takes ownership of {@code value} (freshly decoded bytes) without copying. */
    static Address wrap(int type, byte[] value) {
        return new Address(type, value);
    }

    /** Parses the text form {@code tt#value}, or a bare (local) value. */
    public static Address of(String text) {
        Objects.requireNonNull(text, "text");
        int hashAt = text.indexOf('#');
        if (hashAt > 0 && hashAt <= 3 && text.substring(0, hashAt).chars().allMatch(Character::isDigit)) {
            int type = Integer.parseInt(text.substring(0, hashAt));
            return new Address(type, text.substring(hashAt + 1).getBytes(StandardCharsets.UTF_8));
        }
        return new Address(LOCAL, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A local address. */
    public static Address local(String value) {
        return new Address(LOCAL, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A TCP address {@code host:port}. */
    public static Address tcp(String hostAndPort) {
        return new Address(TCP, hostAndPort.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh local address: 16 random bytes as 32 hex characters. */
    public static Address random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return local(HexFormat.of().formatHex(bytes));
    }

    /** The transport type, 0..255. */
    public int type() {
        return type;
    }

    /** A copy of the address bytes. */
    public byte[] value() {
        return value.clone();
    }

    /** The address bytes read as UTF-8. */
    public String valueText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Whether this is a worker address inside the node. */
    public boolean isLocal() {
        return type == LOCAL;
    }

    byte[] valueUnsafe() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && a.type == type && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The text form: the bare value for a local address, {@code tt#value} otherwise. */
    @Override
    public String toString() {
        return type == LOCAL ? valueText() : type + "#" + valueText();
    }
}
