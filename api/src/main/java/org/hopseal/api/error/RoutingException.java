package org.hopseal.api.error;

/**
 * Routing failed: an unknown address, a transport that is missing, refused or lost, a stopped node.
 *
 * @since 0.1
 */
public non-sealed class RoutingException extends HopsealException {
    public RoutingException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public RoutingException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
