package org.hopseal.core.transport.tcp;

import java.io.DataInputStream;
import java.io.IOException;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.routing.TransportMessage;

/** Test-only access to the TCP frame reader for the fuzz tests. */
public final class FuzzBridge {
    private FuzzBridge() {
    }

    public static TransportMessage read(DataInputStream in) throws IOException, DecodeException {
        return TcpFrames.read(in, TcpFrames.DEFAULT_MAX_FRAME);
    }
}
