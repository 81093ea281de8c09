package org.hopseal.core.authority;

import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.EnrollmentTicket;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.wire.BareReader;
import org.hopseal.api.wire.BareWriter;

/**
 * The protocol between a member and an authority's service, a BARE union carried inside a secure channel
 * (docs/credentials.md): a member sends {@link Enroll} (with a ticket) or {@link Renew}; the service answers
 * {@link Issued} or {@link Refused}.
 */
sealed interface AuthorityMessage {
    /** The longest reason a {@link Refused} carries. */
    int MAX_REASON = 512;

    int ENROLL = 0;
    int RENEW = 1;
    int ISSUED = 2;
    int REFUSED = 3;

    /** Enrolls the channel's peer with the attributes of {@code ticket} (an encoded {@link EnrollmentTicket}). */
    record Enroll(byte[] ticket) implements AuthorityMessage {
    }

    /** Asks for a fresh credential for the channel's peer, which enrolled before. */
    record Renew() implements AuthorityMessage {
    }

    /** A credential for the channel's peer (an encoded {@link Credential}). */
    record Issued(byte[] credential) implements AuthorityMessage {
    }

    /** The request was refused, and why. */
    record Refused(String reason) implements AuthorityMessage {
        public Refused {
            reason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        }
    }

    static byte[] encode(AuthorityMessage message) {
        return switch (message) {
            case Enroll e -> new BareWriter().writeU8(ENROLL).writeData(e.ticket()).toByteArray();
            case Renew r -> new BareWriter().writeU8(RENEW).toByteArray();
            case Issued i -> new BareWriter().writeU8(ISSUED).writeData(i.credential()).toByteArray();
            case Refused r -> new BareWriter().writeU8(REFUSED).writeString(r.reason()).toByteArray();
        };
    }

    /** The message a whole payload holds; anything else, or anything oversized, is a {@link DecodeException}. */
    static AuthorityMessage decode(byte[] payload) throws DecodeException {
        if (payload.length > Credential.MAX_ENCODED + 16) {
            throw new DecodeException("an authority message of " + payload.length + " bytes is too large");
        }
        BareReader in = new BareReader(payload);
        int tag = in.readU8();
        AuthorityMessage message = switch (tag) {
            case ENROLL -> new Enroll(bounded(in.readData(), EnrollmentTicket.MAX_ENCODED, "ticket"));
            case RENEW -> new Renew();
            case ISSUED -> new Issued(bounded(in.readData(), Credential.MAX_ENCODED, "credential"));
            case REFUSED -> {
                String reason = in.readString();
                if (reason.length() > MAX_REASON) {
                    throw new DecodeException("refusal reason longer than " + MAX_REASON + " characters");
                }
                yield new Refused(reason);
            }
            default -> throw new DecodeException("unknown authority message " + tag);
        };
        in.expectEnd("authority message");
        return message;
    }

    private static byte[] bounded(byte[] data, int max, String what) throws DecodeException {
        if (data.length > max) {
            throw new DecodeException(what + " longer than " + max + " bytes");
        }
        return data;
    }
}
