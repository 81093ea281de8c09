package org.hopseal.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.hopseal.api.error.ErrorKind;

/**
 * A record Hopseal could not encrypt or decrypt, with the kind of failure: {@code UNTRUSTED} (this consumer is not a
 * reader of the record's epoch, or its producer is not an allowed writer), {@code AUTHENTICATION} (the record or its
 * key was changed, or moved from another topic; no more is said), {@code INVALID} (not a Hopseal record),
 * {@code NOT_FOUND} (its key never appeared on the key topic), {@code UNAVAILABLE} (the key topic could not be read).
 * Kafka's consumer reports it as a {@code RecordDeserializationException} at the record's offset.
 */
public final class HopsealRecordException extends SerializationException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorKind kind;

    public HopsealRecordException(ErrorKind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public HopsealRecordException(ErrorKind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    /** What went wrong. */
    public ErrorKind kind() {
        return kind;
    }
}
