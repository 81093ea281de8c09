package org.hopseal.core.transport.tcp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import org.hopseal.api.error.DecodeException;
import org.hopseal.api.node.TcpTransportOptions;

/** Test-only access to the TCP frame reader for the fuzz tests. */
public final class FuzzBridge {
    private FuzzBridge() {
    }

    /** Reads every frame of {@code input} until it ends. */
    public static void readFrames(byte[] input) throws IOException, DecodeException {
        FrameReader in = new FrameReader(Channels.newChannel(new ByteArrayInputStream(input)), TcpTransportOptions.DEFAULT_MAX_FRAME_SIZE);
        while (in.next() != null) {
            // keep reading frames until the input ends
        }
    }
}
