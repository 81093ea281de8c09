package org.hopseal.core.identity;

import org.hopseal.api.error.DecodeException;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.vault.Verifier;

/** Test-only access to the identity decoders for the fuzz tests. */
public final class FuzzBridge {
    private FuzzBridge() {
    }

    public static void verifyHistory(byte[] input, Verifier verifier) throws HopsealException {
        IdentityHistory.verify(input, verifier);
    }

    public static void decodeAttestation(byte[] input) throws DecodeException {
        Attestation.decode(input);
    }
}
