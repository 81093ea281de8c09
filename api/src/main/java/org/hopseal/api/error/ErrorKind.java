package org.hopseal.api.error;

/**
 * What kind of failure a {@link HopsealException} reports. Callers branch on the kind, never on message text.
 *
 * @since 0.1
 */
public enum ErrorKind {
    /** The input is malformed or out of range: a bad encoding, a wrong-length key, a handle of the wrong type. */
    INVALID,
    /** The operation or algorithm is not offered by this implementation (for example a vault lacking a key type). */
    UNSUPPORTED,
    /** The addressed thing does not exist: an unknown worker address, a deleted key handle. */
    NOT_FOUND,
    /** The thing to create exists already, for example a worker address in use. */
    ALREADY_EXISTS,
    /** An explicit timeout elapsed. */
    TIMEOUT,
    /** A resource is (perhaps temporarily) unreachable: a refused connection, a token that went away. */
    UNAVAILABLE,
    /** The peer broke the protocol: an unexpected message, a replayed nonce, a handshake out of order. */
    PROTOCOL,
    /** Authentication failed: a bad tag or signature. Carries no detail on purpose. */
    AUTHENTICATION,
    /** The peer was authenticated but a trust policy or access control refused it. */
    UNTRUSTED,
    /** The node or component has been stopped. */
    SHUTDOWN,
    /** A bug or an unexpected failure inside Hopseal. */
    INTERNAL
}
