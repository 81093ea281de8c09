package org.hopseal.core.relay;

import org.hopseal.api.error.DecodeException;
import org.hopseal.api.relay.Relay;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * The registration protocol between a relay and a relay host's service, a BARE union (docs/relays.md): a relay sends
 * {@link Register} through its secure channel to the service; the service answers {@link Registered} or
 * {@link Refused}.
 */
sealed interface RelayMessage {
    /** The longest reason a {@link Refused} carries. */
    int MAX_REASON = 512;
    /** The longest name a {@link Register} may carry on the wire (longer ones are malformed, not merely refused). */
    int MAX_NAME = 64;

    int REGISTER = 0;
    int REGISTERED = 1;
    int REFUSED = 2;

    /** Asks the service to forward {@code forward_to_NAME} to the sender; the name may be invalid (then refused). */
    record Register(String name) implements RelayMessage {
    }

    /** The name is registered for the sender, over the connection or channel it registered by. */
    record Registered(String name) implements RelayMessage {
    }

    /** The registration was refused, and why. */
    record Refused(String reason) implements RelayMessage {
        public Refused {
            reason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        }
    }

    /** The payload bytes of {@code message}. */
    static byte[] encode(RelayMessage message) {
        return switch (message) {
            case Register r -> new BareWriter().writeU8(REGISTER).writeString(r.name()).toByteArray();
            case Registered r -> new BareWriter().writeU8(REGISTERED).writeString(r.name()).toByteArray();
            case Refused r -> new BareWriter().writeU8(REFUSED).writeString(r.reason()).toByteArray();
        };
    }

    /** The message a whole payload holds; anything else is a {@link DecodeException}. */
    static RelayMessage decode(byte[] payload) throws DecodeException {
        BareReader in = new BareReader(payload);
        int tag = in.readU8();
        RelayMessage message = switch (tag) {
            case REGISTER -> new Register(bounded(in.readString(), MAX_NAME, "relay name"));
            case REGISTERED -> new Registered(validName(bounded(in.readString(), MAX_NAME, "relay name")));
            case REFUSED -> new Refused(bounded(in.readString(), MAX_REASON, "relay refusal reason"));
            default -> throw new DecodeException("unknown relay message " + tag);
        };
        in.expectEnd("relay message");
        return message;
    }

    private static String validName(String name) throws DecodeException {
        if (!Relay.NAME.matcher(name).matches()) {
            throw new DecodeException("'" + name + "' is not a relay name");
        }
        return name;
    }

    private static String bounded(String s, int max, String what) throws DecodeException {
        if (s.length() > max) {
            throw new DecodeException(what + " longer than " + max + " characters");
        }
        return s;
    }
}
