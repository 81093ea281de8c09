package org.hopseal.benchmarks;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/**
 * What every loopback socket of the peers gets, TLS and plain TCP alike: {@code TCP_NODELAY} (so a flushed echo
 * goes out at once), send and receive buffers of {@link #BUFFER_BYTES}, and a read timeout. Set before connecting,
 * so that the receive window is negotiated for that size.
 */
final class SocketTuning {
    /** Room for several 64 KiB writes in flight. */
    static final int BUFFER_BYTES = 1 << 20;

    /** How long a loopback connect, or a read, may wait before the benchmark gives up. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private SocketTuning() {
    }

    /**
     * Closes {@code s} without waiting for its peer. Closing a TLS 1.3 {@code SSLSocket} that has a read timeout makes
     * the JDK wait, up to that timeout, for one more record from the peer (its close_notify): a round trip through
     * the peer's scheduler that Hopseal's channel close does not pay either. Clearing the timeout first skips it.
     */
    static void close(Socket s) throws IOException {
        try {
            s.setSoTimeout(0);
        } finally {
            s.close();
        }
    }

    static void apply(Socket s) throws SocketException {
        s.setTcpNoDelay(true);
        s.setSendBufferSize(BUFFER_BYTES);
        s.setReceiveBufferSize(BUFFER_BYTES);
        s.setSoTimeout((int) READ_TIMEOUT.toMillis());
    }
}
