package org.hopseal.benchmarks.tlscheck;

import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * (a) Full mutual TLS 1.3 handshakes per second between a client and a server {@link SSLEngine} in one thread,
 * records passed through two byte buffers.
 */
final class InMemoryHandshakes {
    /** Steps of both engines; a full handshake takes a few dozen. */
    private static final int LIMIT_PER_HANDSHAKE = 200;

    private final MutualTls tls;
    private final ByteBuffer clientOut;
    private final ByteBuffer serverOut;
    private final ByteBuffer plaintext;
    private final ByteBuffer nothing = ByteBuffer.allocate(0);
    private long handshakes;

    InMemoryHandshakes(MutualTls tls) {
        this.tls = tls;
        SSLEngine probe = tls.clientEngine();
        int packet = probe.getSession().getPacketBufferSize();
        clientOut = ByteBuffer.allocate(packet);
        serverOut = ByteBuffer.allocate(packet);
        plaintext = ByteBuffer.allocate(probe.getSession().getApplicationBufferSize());
    }

    /** Handshakes per second over {@code time}, after {@code warmUp} of the same. */
    double perSecond(Duration warmUp, Duration time) throws SSLException {
        runFor(warmUp);
        long start = System.nanoTime();
        long count = runFor(time);
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** Handshakes completed so far, warm-up included. */
    long handshakes() {
        return handshakes;
    }

    private long runFor(Duration time) throws SSLException {
        long end = System.nanoTime() + time.toNanos();
        long count = 0;
        while (System.nanoTime() < end) {
            once();
            count++;
        }
        return count;
    }

    void once() throws SSLException {
        SSLEngine client = tls.clientEngine();
        SSLEngine server = tls.serverEngine();
        clientOut.clear();
        serverOut.clear();
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < LIMIT_PER_HANDSHAKE; i++) {
            boolean clientBusy = isHandshaking(client);
            boolean serverBusy = isHandshaking(server);
            if (!clientBusy && !serverBusy) {
                handshakes++;
                return;
            }
            if (clientBusy) {
                step(client, clientOut, serverOut);
            }
            if (serverBusy) {
                step(server, serverOut, clientOut);
            }
        }
        throw new SSLException("handshake did not complete");
    }

    private static boolean isHandshaking(SSLEngine engine) {
        HandshakeStatus s = engine.getHandshakeStatus();
        return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
    }

    /** One action of {@code engine}: write to {@code out}, read from {@code in}, or run its delegated tasks. */
    private void step(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> {
                // BUFFER_OVERFLOW: the engine wants a whole packet free; the peer's next step drains the buffer.
                Status s = engine.wrap(nothing, out).getStatus();
                if (s != Status.OK && s != Status.BUFFER_OVERFLOW) {
                    throw new SSLException("wrap: " + s);
                }
            }
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                plaintext.clear();
                Status s = engine.unwrap(in, plaintext).getStatus();
                in.compact();
                if (s != Status.OK && s != Status.BUFFER_UNDERFLOW) {
                    throw new SSLException("unwrap: " + s);
                }
            }
            case NEED_TASK -> {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
            }
            default -> {
                // finished
            }
        }
    }
}
