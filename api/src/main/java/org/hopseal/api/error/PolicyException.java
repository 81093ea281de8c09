package org.hopseal.api.error;

/**
 * A policy expression could not be parsed; the message names the position (counted from 1) and what was expected.
 *
 * @since 0.3
 */
public non-sealed class PolicyException extends HopsealException {
    /** Where in the expression the problem is, counted in characters (code points) from 1. */
    private final int position;

    /**
     * A parse failure of kind {@link ErrorKind#INVALID}.
     *
     * @param position where in the expression the problem is, counted in characters (code points) from 1
     * @param message what was expected there and what was found
     */
    public PolicyException(int position, String message) {
        super(ErrorKind.INVALID, message);
        this.position = position;
    }

    /** {@return where in the expression the problem is, counted in characters (code points) from 1} */
    public int position() {
        return position;
    }
}
