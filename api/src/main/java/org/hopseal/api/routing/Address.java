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

    /**
     * An address of the given transport type whose bytes are {@code value}.
     *
     * @param type the transport type, 0 to 255 ({@link #LOCAL}, {@link #TCP}, or another transport's)
     * @param value the transport's address bytes; copied, so later changes to the array do not affect the address
     * @return the address
     * @throws IllegalArgumentException if {@code type} is outside 0 to 255
     */
    public static Address of(int type, byte[] value) {
        return new Address(type, value.clone());
    }

    /** Takes ownership of {@code value} (freshly decoded bytes) without copying. */
    static Address wrap(int type, byte[] value) {
        return new Address(type, value);
    }

    /**
     * Parses the text form {@code tt#value}, or a bare (local) value. The prefix is read as a transport type only
     * when it is one to three decimal digits before the first {@code #}; otherwise the whole text, {@code #} and all,
     * is a local value. No length limit is applied here: {@link #MAX_VALUE_LENGTH} bounds what is decoded from
     * outside.
     *
     * @param text {@code "echoer"}, {@code "0#echoer"}, {@code "1#127.0.0.1:4000"}, ...; the value is encoded as UTF-8
     * @return the address
     * @throws IllegalArgumentException if the digits before {@code #} name a type above 255
     */
    public static Address of(String text) {
        Objects.requireNonNull(text, "text");
        int hashAt = text.indexOf('#');
        if (hashAt > 0 && hashAt <= 3 && text.substring(0, hashAt).chars().allMatch(Character::isDigit)) {
            int type = Integer.parseInt(text.substring(0, hashAt));
            return new Address(type, text.substring(hashAt + 1).getBytes(StandardCharsets.UTF_8));
        }
        return new Address(LOCAL, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A local address: a worker or context inside the node.
     *
     * @param value the address's name, encoded as UTF-8 (taken as it is: a {@code #} in it is part of the name)
     * @return the address of type {@link #LOCAL}
     */
    public static Address local(String value) {
        return new Address(LOCAL, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A TCP address: the next hop is the node listening there. The text is not checked here; the TCP transport
     * refuses a malformed one when the address is routed to.
     *
     * @param hostAndPort {@code host:port}, e.g. {@code "10.0.0.2:4000"}
     * @return the address of type {@link #TCP}
     */
    public static Address tcp(String hostAndPort) {
        return new Address(TCP, hostAndPort.getBytes(StandardCharsets.UTF_8));
    }

    /** {@return a fresh local address: 16 random bytes (from a {@link SecureRandom}) as 32 lower-case hex characters} */
    public static Address random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return local(HexFormat.of().formatHex(bytes));
    }

    /** {@return the transport type, 0 to 255} */
    public int type() {
        return type;
    }

    /** {@return a copy of the address bytes} */
    public byte[] value() {
        return value.clone();
    }

    /** {@return the address bytes read as UTF-8 (malformed sequences become U+FFFD)} */
    public String valueText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** {@return whether this is a worker address inside the node (type {@link #LOCAL})} */
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

    /**
     * {@return the text form: the bare value for a local address, {@code tt#value} otherwise} {@link #of(String)}
     * reads it back, except for a local value that itself looks like {@code tt#...}.
     */
    @Override
    public String toString() {
        return type == LOCAL ? valueText() : type + "#" + valueText();
    }
}
