package org.hopseal.core.channel;

import java.util.List;
import org.hopseal.api.error.DecodeException;

/** Test-only access to the channel's frame, plaintext, X3DH and presented-credentials parsers for the fuzz tests. */
public final class FuzzBridge {
    private FuzzBridge() {
    }

    /** Parses as a channel frame; a data frame's body is also parsed as a plaintext (as if it had decrypted). */
    public static void parse(byte[] input) throws DecodeException {
        ChannelFrame f = ChannelFrame.parse(input);
        if (f.type() == ChannelFrame.DATA) {
            Plaintext p = Plaintext.parse(f.body());
            if (p.kind() == Plaintext.FRAGMENT) {
                new Reassembler(new ReassemblyBudget(ReassemblyBudget.NODE_BYTES)).add(p);
            }
        }
    }

    public static void decodeX3dh(byte[] input) throws DecodeException {
        switch (X3dhMessages.kind(input)) {
            case X3dhMessages.BUNDLE -> X3dhMessages.decodeBundle(input);
            case X3dhMessages.INITIAL -> X3dhMessages.decodeInitial(input);
            default -> { }
        }
    }

    /** The encoded credentials of an identity payload's or a credentials frame's list (each still to be decoded). */
    public static List<byte[]> decodePresentedCredentials(byte[] input) throws DecodeException {
        return PresentedCredentials.decode(input);
    }
}
