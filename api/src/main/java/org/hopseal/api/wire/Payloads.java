package org.hopseal.api.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.Route;
import org.hopseal.api.routing.TransportMessage;

/**
 * A message's payload without a copy, for the runtime's hot paths: decoding a body, parsing a channel frame,
 * encrypting, writing to a socket, echoing. A payload may be a range of a larger array (a decrypted plaintext whose
 * routes come first); the bytes must not be modified. {@link TransportMessage} grants this access when it is
 * initialized; the package is exported to the runtime only, so applications see only
 * {@link TransportMessage#payload()}, a copy, and {@link TransportMessage#payloadBuffer()}, a read-only view.
 */
public final class Payloads {
    /** What {@link TransportMessage} lets the runtime do with its payloads. */
    public interface Access {
        /** The payload of {@code message} as a buffer over the array it lies in, from position to limit. */
        ByteBuffer view(TransportMessage message);

        /**
         * Decodes one message filling {@code length} bytes of {@code bytes} from {@code offset}, whose payload stays
         * a range of {@code bytes}: the caller never modifies or reuses the array afterwards.
         */
        TransportMessage decodeSharing(byte[] bytes, int offset, int length) throws DecodeException;
    }

    private static volatile Access access;

    private Payloads() {
    }

    /** Called once, by {@link TransportMessage}'s initializer. */
    public static void grant(Access granted) {
        if (access != null) {
            throw new IllegalStateException("payload access is granted already");
        }
        access = Objects.requireNonNull(granted);
    }

    /**
     * The payload of {@code message} as a buffer over the array it lies in, not copied: its bytes are
     * {@code array()} from {@code position()} to {@code limit()}. Do not modify them.
     */
    public static ByteBuffer view(TransportMessage message) {
        // An instance exists, so its class is initialized and has granted access.
        return access.view(message);
    }

    /**
     * The payload of {@code message} as an array of exactly its length: the message's own array when the payload
     * fills it (not copied; do not modify it), else a copy of its range. Hot paths that may meet a range use
     * {@link #view}.
     */
    public static byte[] of(TransportMessage message) {
        ByteBuffer view = view(message);
        byte[] array = view.array();
        if (view.position() == 0 && view.limit() == array.length) {
            return array;
        }
        return Arrays.copyOfRange(array, view.position(), view.limit());
    }

    /**
     * Decodes one message from {@code length} bytes of {@code bytes} at {@code offset}, leaving its payload where it
     * lies: for arrays the caller made and never touches again (a decrypted plaintext, a reassembled message).
     *
     * @throws DecodeException as {@link TransportMessage#decode(byte[], int, int)} does
     */
    public static TransportMessage decodeSharing(byte[] bytes, int offset, int length) throws DecodeException {
        if (access == null) {
            // No message exists yet: making one initializes the class, which grants access.
            TransportMessage.wrap(Route.empty(), Route.empty(), new byte[0]);
        }
        return access.decodeSharing(bytes, offset, length);
    }
}
