package org.hopseal.core.fuzz;

import java.io.IOException;
import java.util.List;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.Verifier;

/** Reaches the package-private parsers from the fuzz tests (through small test-only bridges in their packages). */
final class FuzzEntryPoints {
    private FuzzEntryPoints() {
    }

    static void readTcpFrames(byte[] input) throws IOException, DecodeException {
        org.hopseal.core.transport.tcp.FuzzBridge.readFrames(input);
    }

    static void parseChannelFrameAndPlaintext(byte[] input) throws DecodeException {
        org.hopseal.core.channel.FuzzBridge.parse(input);
    }

    static void verifyHistory(byte[] input, Verifier verifier) throws HopsealException {
        org.hopseal.core.identity.FuzzBridge.verifyHistory(input, verifier);
    }

    static void decodeAttestation(byte[] input) throws DecodeException {
        org.hopseal.core.identity.FuzzBridge.decodeAttestation(input);
    }

    static void decodeX3dh(byte[] input) throws DecodeException {
        org.hopseal.core.channel.FuzzBridge.decodeX3dh(input);
    }

    static List<byte[]> decodePresentedCredentials(byte[] input) throws DecodeException {
        return org.hopseal.core.channel.FuzzBridge.decodePresentedCredentials(input);
    }
}
