package org.hopseal.core.channel;

import org.hopseal.api.error.ErrorKind;
import org.hopseal.api.error.HandshakeException;

/**
 * The listener answered a hybrid handshake with "does not accept hybrid" ({@code postQuantum OFF}, or its vault has
 * no ML-KEM): an initiator whose policy is {@code PREFERRED} starts again classically, one whose policy is
 * {@code REQUIRED} reports it.
 */
final class HybridRefusedException extends HandshakeException {
    HybridRefusedException(String offered) {
        super(ErrorKind.UNSUPPORTED, "the listener does not accept hybrid post-quantum channels (postQuantum OFF, or a vault"
                + " without ML-KEM-768) and this end offered " + offered);
    }
}
