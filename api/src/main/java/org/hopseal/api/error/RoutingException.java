package org.hopseal.api.error;

/**
 * Routing failed: an unknown address, a transport that is missing, refused or lost, a stopped node.
 *
 * @since 0.1
 */
public non-sealed class RoutingException extends HopsealException {
    /**
     * A failure without an underlying cause.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong on the route, for people; never secret material
     */
    public RoutingException(ErrorKind kind, String message) {
        super(kind, message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param kind what kind of failure it is; callers branch on it
     * @param message what went wrong on the route, for people; never secret material
     * @param cause the underlying failure, or {@code null} if there is none
     */
    public RoutingException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
