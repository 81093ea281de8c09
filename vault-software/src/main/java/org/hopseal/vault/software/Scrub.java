package org.hopseal.vault.software;

import java.util.Arrays;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;

/**
 * Zeroes the heap temporaries that held key material on their way through a computation (a private key read out of
 * secret memory, an intermediate scalar, a library's object holding an expanded key), once they are no longer needed. Stored secrets are wiped by
 * {@link SecretMemory}, whose wiping the tests observe; a temporary is unreachable after it is scrubbed, so no test
 * can tell, and mutation testing leaves calls to this class alone.
 */
final class Scrub {
    private Scrub() {
    }

    static void bytes(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }

    /** Destroys a library's object that holds key material (BouncyCastle's expanded ML-KEM key, say). */
    static void destroy(Destroyable holder) {
        try {
            holder.destroy();
        } catch (DestroyFailedException e) {
            // What could not be destroyed is left to the garbage collector, as an unscrubbed temporary would be.
        }
    }

    static void ints(int[]... arrays) {
        for (int[] a : arrays) {
            Arrays.fill(a, 0);
        }
    }
}
