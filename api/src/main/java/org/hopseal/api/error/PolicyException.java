package org.hopseal.api.error;

/**
 * A policy expression could not be parsed; the message names the position (counted from 1) and what was expected.
 *
 * @since 0.3
 */
public non-sealed class PolicyException extends HopsealException {
    private final int position;

    public PolicyException(int position, String message) {
        super(ErrorKind.INVALID, message);
        this.position = position;
    }

    /** Where in the expression the problem is, counted in characters from 1. */
    public int position() {
        return position;
    }
}
