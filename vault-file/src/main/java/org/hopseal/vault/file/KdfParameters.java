package org.hopseal.vault.file;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id parameters, stored in the vault file's header. The defaults follow RFC 9106's second recommendation
 * (64 MiB, 3 passes, 4 lanes). Values read from a file are bounded, so a crafted header cannot make opening take
 * unbounded memory or time.
 * <p>
 * A new vault file needs parameters at least as costly to guess with as that recommendation ({@link #meetsMinimum}):
 * at least 64 MiB, and memory times passes at least 64 MiB times 3 (so RFC 9106's first recommendation, 2 GiB and
 * one pass, qualifies too). Lanes only let the defender use several cores and do not add to a guesser's cost, so any
 * number is accepted. Existing files with weaker parameters still open (with a warning), so nobody is locked out.
 *
 * @param memoryKiB memory in KiB
 * @param iterations passes over memory
 * @param parallelism lanes
 */
public record KdfParameters(int memoryKiB, int iterations, int parallelism) {
    /** 64 MiB, 3 passes, 4 lanes. */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 4);
    /** The least memory a new vault may use: 64 MiB. */
    public static final int MIN_MEMORY_KIB = 64 * 1024;
    /** The least memory times passes a new vault may use: 64 MiB times 3 passes. */
    public static final long MIN_MEMORY_KIB_TIMES_ITERATIONS = 3L * MIN_MEMORY_KIB;
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

    /**
     * Whether a new vault file may use these parameters: at least {@value #MIN_MEMORY_KIB} KiB, and memory times
     * passes at least {@value #MIN_MEMORY_KIB_TIMES_ITERATIONS} (RFC 9106's second recommendation or costlier).
     */
    public boolean meetsMinimum() {
        return memoryKiB >= MIN_MEMORY_KIB && (long) memoryKiB * iterations >= MIN_MEMORY_KIB_TIMES_ITERATIONS;
    }

    /** For messages: "65536 KiB, 3 passes, 4 lanes". */
    String describe() {
        return memoryKiB + " KiB, " + iterations + (iterations == 1 ? " pass, " : " passes, ") + parallelism
                + (parallelism == 1 ? " lane" : " lanes");
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
