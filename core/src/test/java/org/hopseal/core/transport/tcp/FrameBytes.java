package org.hopseal.core.transport.tcp;

import org.hopseal.api.routing.TransportMessage;
import org.hopseal.core.transport.tcp.TcpFrames.Frame;

/** A frame's bytes in one array, as a raw peer sends them. */
final class FrameBytes {
    private FrameBytes() {
    }

    static byte[] of(Frame frame) {
        byte[] out = new byte[frame.size()];
        System.arraycopy(frame.head(), 0, out, 0, frame.head().length);
        System.arraycopy(frame.payload(), frame.offset(), out, frame.head().length, frame.length());
        return out;
    }

    static byte[] of(TransportMessage message) {
        return of(TcpFrames.frame(message));
    }
}
