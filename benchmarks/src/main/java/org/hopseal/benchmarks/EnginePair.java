package org.hopseal.benchmarks;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Two {@link SSLEngine}s joined by in-memory buffers, which are allocated once, at the sizes the session asks for
 * (two TLS packets each way, one record's plaintext at each end), and reused for every handshake and transfer.
 */
final class EnginePair {
    /** A full TLS 1.3 handshake takes three flights; this leaves room and still ends a broken one. */
    private static final int MAX_ROUNDS = 16;
    /** Engine steps per round before giving up (a flight is a handful of wraps, unwraps and tasks). */
    private static final int MAX_STEPS = 64;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ByteBuffer toServer;
    private final ByteBuffer toClient;
    private final ByteBuffer clientApp;
    private final ByteBuffer serverApp;
    private SSLEngine client;
    private SSLEngine server;

    EnginePair(SSLSession sizes) {
        // An engine wraps only into a buffer with a whole packet free, and a handshake flight is several records.
        toServer = ByteBuffer.allocate(2 * sizes.getPacketBufferSize());
        toClient = ByteBuffer.allocate(2 * sizes.getPacketBufferSize());
        clientApp = ByteBuffer.allocate(sizes.getApplicationBufferSize());
        serverApp = ByteBuffer.allocate(sizes.getApplicationBufferSize());
    }

    /** A pair for {@code peers}, after a full handshake. */
    static EnginePair connected(TlsPeers peers) throws SSLException {
        SSLEngine c = peers.clientEngine();
        EnginePair p = new EnginePair(c.getSession());
        p.handshake(c, peers.serverEngine());
        return p;
    }

    /** Runs a full handshake between two new engines; afterwards {@link #transfer} goes from one to the other. */
    void handshake(SSLEngine newClient, SSLEngine newServer) throws SSLException {
        client = newClient;
        server = newServer;
        toServer.clear();
        toClient.clear();
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean clientDone = advance(client, toServer, toClient, clientApp);
            boolean serverDone = advance(server, toClient, toServer, serverApp);
            if (clientDone && serverDone) {
                return;
            }
        }
        throw new SSLException("the TLS handshake did not finish in " + MAX_ROUNDS + " rounds");
    }

    /** Runs one engine until it waits for its peer (false) or has finished its handshake (true). */
    private static boolean advance(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        for (int step = 0; step < MAX_STEPS; step++) {
            switch (e.getHandshakeStatus()) {
                case NEED_WRAP -> ok(e.wrap(EMPTY, out));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult r = e.unwrap(in, app);
                    in.compact();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        return false;
                    }
                    ok(r);
                }
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = e.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                default -> {
                    return true;
                }
            }
        }
        throw new SSLException("the TLS engine did not settle in " + MAX_STEPS + " steps");
    }

    private static void ok(SSLEngineResult r) throws SSLException {
        if (r.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("unexpected TLS engine result: " + r);
        }
    }

    /** Client wraps {@code data} record by record, server unwraps each; returns the bytes received. */
    int transfer(ByteBuffer data) throws SSLException {
        int received = 0;
        while (data.hasRemaining()) {
            toServer.clear();
            ok(client.wrap(data, toServer));
            toServer.flip();
            while (toServer.hasRemaining()) {
                serverApp.clear();
                ok(server.unwrap(toServer, serverApp));
                received += serverApp.position();
            }
        }
        return received;
    }
}
