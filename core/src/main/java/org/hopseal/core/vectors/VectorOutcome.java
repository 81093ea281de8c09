package org.hopseal.core.vectors;

/**
 * How one test vector ended, whichever protocol's runner replayed it.
 *
 * @param name what the vector is called (a Noise protocol name, an X3DH case number)
 * @param status passed, failed or skipped
 * @param detail why it failed or was skipped; empty when it passed
 * @since 0.1
 */
public record VectorOutcome(String name, Status status, String detail) {
    /** How a vector ended. */
    public enum Status { PASSED, FAILED, SKIPPED }

    public static VectorOutcome passed(String name) {
        return new VectorOutcome(name, Status.PASSED, "");
    }

    public static VectorOutcome failed(String name, String why) {
        return new VectorOutcome(name, Status.FAILED, why);
    }

    public static VectorOutcome skipped(String name, String why) {
        return new VectorOutcome(name, Status.SKIPPED, why);
    }
}
