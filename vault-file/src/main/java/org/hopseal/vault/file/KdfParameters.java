package org.hopseal.vault.file;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id parameters, stored in the vault file's header. The defaults follow RFC 9106's second recommendation
 * (64 MiB, 3 passes, 4 lanes). Values read from a file are bounded, so a crafted header cannot make opening take
 * unbounded memory or time.
 *
 * @param memoryKiB memory in KiB
 * @param iterations passes over memory
 * @param parallelism lanes
 */
public record KdfParameters(int memoryKiB, int iterations, int parallelism) {
    /** 64 MiB, 3 passes, 4 lanes. */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 4);
    static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;

    public KdfParameters {
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB || iterations < 1 || iterations > MAX_ITERATIONS
                || parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2id parameters out of range: " + memoryKiB + " KiB, " + iterations
                    + " passes, " + parallelism + " lanes");
        }
    }

    /** Derives a 32-byte key; the caller wipes it. */
    byte[] derive(char[] passphrase, byte[] salt) {
        Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB).withIterations(iterations).withParallelism(parallelism).withSalt(salt).build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(p);
        byte[] key = new byte[32];
        g.generateBytes(passphrase, key);
        return key;
    }
}
